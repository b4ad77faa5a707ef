"""`check_files` lists the files no row points to and the rows with no file, and
removes only the files, only when asked."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from members.models import Document
from tests.factories import PDF_BYTES, make_application, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings):
    """Two documents of an application, one of them gone from the disk; a file no
    row points to; a partial file of a write in progress, and one of a write that
    died two hours ago."""
    make_application(make_user("mariam@example.org"), status="submitted")
    root = Path(settings.MEDIA_ROOT)
    first, second = Document.objects.order_by("pk")
    Path(second.file.path).unlink()
    (root / "workshops").mkdir(parents=True, exist_ok=True)
    (root / "workshops" / "orphan.pdf").write_bytes(PDF_BYTES)
    (root / "workshops" / ".photo.jpg-ab12.part").write_bytes(b"half")
    dead = root / "workshops" / ".note.pdf-cd34.part"
    dead.write_bytes(b"half")
    two_hours_ago = dead.stat().st_mtime - 7200
    os.utime(dead, (two_hours_ago, two_hours_ago))
    return root, first, second


def run(**options) -> str:
    out = io.StringIO()
    call_command("check_files", stdout=out, **options)
    return out.getvalue()


def test_it_lists_orphans_and_missing_files_and_removes_nothing_but_dead_partials(media):
    root, first, second = media
    report = run()
    assert "No row points to workshops/orphan.pdf" in report
    assert f"Missing file of members.Document.file: {second.file.name}" in report
    assert "1 files with no row, 1 rows with no file." in report
    assert "1 files are being written: left alone." in report
    assert (root / "workshops" / "orphan.pdf").exists()
    assert (root / "workshops" / ".photo.jpg-ab12.part").exists()
    assert not (root / "workshops" / ".note.pdf-cd34.part").exists()
    assert first.file.name not in report


def test_delete_removes_the_orphan_files_and_never_a_row(media):
    root, first, _missing = media
    report = run(delete=True)
    assert "Removed workshops/orphan.pdf" in report
    assert not (root / "workshops" / "orphan.pdf").exists()
    assert Document.objects.count() == 2
    assert Path(first.file.path).exists()
    assert (root / "workshops" / ".photo.jpg-ab12.part").exists()
