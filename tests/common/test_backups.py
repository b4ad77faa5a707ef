"""An archive holds one snapshot of the database and exactly the files it points
to, appears whole or not at all, opens only with its key, and a trial restore
says whether it restores. On SQLite and on PostgreSQL alike."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models

from common import storage
from common.backups import writing
from common.backups.archive import DATABASE_MEMBERS
from common.backups.database import LEFT_OUT, connect_postgres, referenced_files
from common.backups.retention import apply_retention
from common.sealing import SEGMENT, OpeningReader, SealError, SealingWriter, parse_key
from members.models import Document
from reports.models import ExportJob
from tests.factories import PDF_BYTES, make_application, make_user
from tests.test_backup import manage
from tests.test_uploads import image_bytes
from tests.workshops.factories import make_workshop
from workshops.models import AttendanceImport
from workshops.services.files import add_file
from workshops.services.imports import start_import

KEY = "q8LRc0Ghh1mCj0ByxDBzG5ONH2XbZl4lv5lV4rR2m3o="
OTHER_KEY = "bm90IHRoZSBrZXkgYnV0IGFub3RoZXIgb25lIDMyIGI="

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal(settings):
    """An organisation's two documents, a workshop photo, a sheet waiting for its
    preview, a finished export and a file nothing points to."""
    representative = make_user("mariam@example.org")
    make_application(representative, status="submitted")
    workshop = make_workshop()
    add_file(
        workshop,
        kind="photos",
        by=None,
        file=ContentFile(image_bytes("JPEG"), name="famille.jpg"),
        content_type="image/jpeg",
        caption="Photo de famille",
    )
    start_import(
        workshop,
        by=None,
        upload=ContentFile("Nom et prénom;Sexe\nAwa Traoré;F\n".encode(), name="feuille.csv"),
        day=None,
    )
    export = ExportJob.objects.create(author=representative, language="fr", status="done")
    export.file.save("liste.xlsx", ContentFile(b"names of attendees"))
    orphan = Path(settings.MEDIA_ROOT) / "workshops" / "orphan.pdf"
    orphan.write_bytes(PDF_BYTES)
    return workshop


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def backed_up_names() -> set[str]:
    return {f"media/{d.file.name}" for d in Document.objects.all()} | {
        f"media/{p.file.name}" for p in apps.get_model("workshops.WorkshopPhoto").objects.all()
    }


def test_an_archive_holds_exactly_the_files_the_database_points_to(portal, tmp_path):
    os.umask(0o022)
    archive = tmp_path / "backups" / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    members = members_of(archive)
    manifest = json.loads(members.pop("manifest.json"))
    database = DATABASE_MEMBERS[connection.vendor]
    assert set(members) == backed_up_names() | {database}
    assert len(backed_up_names()) == 3  # two documents and a photo
    # No sheet waiting for its preview, no export, no orphan: they name attendees.
    assert not any("imports/" in n or "exports/" in n or "orphan" in n for n in members)
    assert manifest["tables"]["members_document"] == 2
    assert manifest["tables"]["workshops_attendanceimport"] == 1
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in archive.parent.iterdir()) == ["backup.tar"]


def test_a_trial_restore_prints_its_figures_and_drops_its_throwaway(portal, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)
    report = out.getvalue()
    tables = len(json.loads(members_of(archive)["manifest.json"])["tables"])
    assert f"Tables: {tables} of {tables} match the manifest" in report
    assert "Files: 3 of 3 match their checksums" in report
    assert "Files the database points to: 3 of 3 in the archive." in report
    assert "The archive restores whole." in report
    if connection.vendor == "postgresql":
        with connect_postgres("postgres") as server:
            names = server.execute("SELECT datname FROM pg_database").fetchall()
        assert not [name for (name,) in names if "_check_" in name]


def test_a_sealed_archive_shows_nothing_and_opens_only_with_its_key(portal, tmp_path, settings):
    settings.ACRSS_BACKUP_KEY = KEY
    archive = tmp_path / "backup.tar.enc"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out, stderr=io.StringIO())
    assert "sealed" in out.getvalue()
    sealed = archive.read_bytes()
    assert b"%PDF" not in sealed
    assert b"members_document" not in sealed
    assert not tarfile.is_tarfile(archive)

    call_command("restore", str(archive), check=True, stdout=io.StringIO())
    settings.ACRSS_BACKUP_KEY = OTHER_KEY
    with pytest.raises(CommandError, match="sealed with another key"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())
    settings.ACRSS_BACKUP_KEY = None
    with pytest.raises(CommandError, match="set ACRSS_BACKUP_KEY"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_a_changed_file_in_an_archive_fails_the_trial_restore(portal, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    data = archive.read_bytes()
    position = data.index(PDF_BYTES)
    archive.write_bytes(data[:position] + b"%PDF-1.7" + data[position + 8 :])
    with pytest.raises(CommandError, match="do not match its manifest: media/organisations/"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_a_sealed_archive_cut_short_fails_the_trial_restore(portal, tmp_path, settings):
    settings.ACRSS_BACKUP_KEY = KEY
    archive = tmp_path / "backup.tar.enc"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    archive.write_bytes(archive.read_bytes()[:-100])
    with pytest.raises(CommandError, match="damaged or cut short"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_a_full_disk_leaves_no_archive_and_says_so_in_one_line(portal, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    older = folder / "acrss-backup-20220101-020000.tar"
    older.write_bytes(b"an older archive")
    written = []

    def fill_after_a_few_blocks(file, chunk):
        if sum(written) > 20_000:
            file.write(chunk[:100])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file.name))
        written.append(len(chunk))
        file.write(chunk)

    monkeypatch.setattr(storage, "write_chunk", fill_after_a_few_blocks)
    with pytest.raises(CommandError) as error:
        call_command("backup", dir=folder, keep_daily=1, keep_weekly=0, stdout=io.StringIO())
    message = str(error.value)
    assert message.startswith("Backup failed: the disk is full")
    assert "No archive was written" in message
    assert "\n" not in message
    # Nothing under a final name, nothing temporary, and the older archive kept.
    assert [p.name for p in folder.iterdir()] == [older.name]


def test_a_file_deleted_after_the_snapshot_starts_a_new_one(portal, tmp_path, monkeypatch):
    document = Document.objects.order_by("pk").first()
    deleted = document.file.name
    snapshots = []

    def then_a_representative_removes_a_document(cursor):
        names = referenced_files(cursor)
        if not snapshots:
            # Committed between the snapshot and the copy of its files.
            Document.objects.filter(pk=document.pk).delete()
            document.file.delete(save=False)
        snapshots.append(names)
        return names

    monkeypatch.setattr(writing, "referenced_files", then_a_representative_removes_a_document)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    assert len(snapshots) == 2
    assert deleted in snapshots[0]
    assert deleted not in snapshots[1]
    members = members_of(archive)
    assert f"media/{deleted}" not in members
    assert json.loads(members["manifest.json"])["tables"]["members_document"] == 1
    call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_a_file_already_missing_is_reported_and_fails_the_trial(portal, tmp_path):
    document = Document.objects.order_by("pk").first()
    Path(document.file.path).unlink()
    archive = tmp_path / "backup.tar"
    with pytest.raises(CommandError, match=r"already missing.*check_files"):
        call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert archive.exists()  # the best archive there can be, and the alert
    with pytest.raises(CommandError, match=f"{document.file.name}: already missing"):
        call_command("restore", str(archive), check=True, stdout=io.StringIO())


def test_each_left_out_file_is_a_file_field_of_a_model():
    for label in LEFT_OUT:
        model, name = label.rsplit(".", 1)
        assert isinstance(apps.get_model(model)._meta.get_field(name), models.FileField)


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_a_sqlite_backup_restores_into_a_new_database(portal, tmp_path, settings):
    settings.ACRSS_BACKUP_KEY = KEY
    archive = tmp_path / "backup.tar.enc"
    call_command("backup", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    restored_media = tmp_path / "restored-media"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(restored_media),
        DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        ACRSS_BACKUP_KEY=KEY,
    )
    env.pop("REDIS_URL", None)
    restored_output = manage("restore", str(archive), env=env)
    assert "Dropped 1 rows of workshops.AttendanceImport" in restored_output
    restored = {
        str(p.relative_to(restored_media)) for p in restored_media.rglob("*") if p.is_file()
    }
    assert {f"media/{n}" for n in restored} == backed_up_names()
    assert AttendanceImport.objects.count() == 1  # the running portal's own are untouched


def test_retention_keeps_the_newest_of_each_recent_day_and_week(tmp_path):
    names = [
        "acrss-backup-20240110-020000.tar.enc",  # Wednesday, week 2
        "acrss-backup-20240109-230000.tar.enc",
        "acrss-backup-20240109-020000.tar.enc",
        "acrss-backup-20240108-020000.tar.enc",  # Monday, week 2
        "acrss-backup-20240107-020000.tar.enc",  # Sunday, week 1
        "acrss-backup-20240103-020000.tar.enc",  # week 1
        "acrss-backup-20231231-020000.tar.enc",  # week 52 of 2023
        "acrss-backup-20231220-020000.tar.enc",  # week 51
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    stale = tmp_path / ".acrss-backup-20240101-020000.tar-x1.part"
    fresh = tmp_path / ".acrss-backup-20240110-030000.tar-x2.part"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    os.utime(stale, (0, 0))

    removed = apply_retention(tmp_path, keep_daily=2, keep_weekly=3)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "acrss-backup-20240110-020000.tar.enc",  # day 1, week 2
            "acrss-backup-20240109-230000.tar.enc",  # day 2
            "acrss-backup-20240107-020000.tar.enc",  # week 1
            "acrss-backup-20231231-020000.tar.enc",  # week 52
            "notes.txt",
            fresh.name,
        ]
    )
    assert stale in removed


# The sealing itself, on streams larger than a segment -------------------------------


def seal(data: bytes, key: str = KEY) -> bytes:
    out = io.BytesIO()
    writer = SealingWriter(out, parse_key(key))
    for start in range(0, len(data), 100_000):
        writer.write(data[start : start + 100_000])
    writer.close()
    return out.getvalue()


def open_sealed(sealed: bytes, key: str = KEY) -> bytes:
    reader = OpeningReader(io.BytesIO(sealed), parse_key(key))
    parts = []
    while part := reader.read(10_240):
        parts.append(part)
    return b"".join(parts)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("size", [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 5])
def test_a_sealed_stream_opens_to_what_was_written(size):
    data = os.urandom(size)
    assert open_sealed(seal(data)) == data


@pytest.mark.django_db(transaction=False)
def test_a_stream_cut_at_a_segment_or_with_segments_swapped_does_not_open():
    sealed = seal(os.urandom(2 * SEGMENT + 10))
    header, part = 40, SEGMENT + 16
    first, second = sealed[header : header + part], sealed[header + part : header + 2 * part]
    for damaged in (
        sealed[: header + part],  # cut after a whole segment
        sealed[:header] + second + first + sealed[header + 2 * part :],  # swapped
        sealed[:-1] + bytes([sealed[-1] ^ 1]),  # one bit
    ):
        with pytest.raises(SealError):
            open_sealed(damaged)


@pytest.mark.django_db(transaction=False)
def test_a_key_must_be_32_bytes_of_base64():
    assert len(parse_key(KEY)) == 32
    for bad in ("", "short", "not base64 at all, not at all, no no no no no no"):
        with pytest.raises(ValueError, match="32 random bytes"):
            parse_key(bad)


def test_a_backup_needs_an_archive_or_a_folder(settings):
    settings.ACRSS_BACKUP_DIR = None
    with pytest.raises(CommandError, match="ACRSS_BACKUP_DIR"):
        call_command("backup")
