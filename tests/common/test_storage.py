"""A file is kept whole or not at all: a disk that fills half-way through a write
leaves no file, no row, and a page that says what happened in the person's language."""

from __future__ import annotations

import errno
import io
import os
import stat

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.urls import reverse

from audit.models import AuditEntry
from common import storage
from common.storage import AtomicFileSystemStorage
from members.models import Document
from tests.factories import PDF_BYTES
from tests.test_uploads import image_bytes
from tests.workshops.factories import make_workshop
from workshops.models import AttendanceImport, WorkshopPhoto

pytestmark = pytest.mark.django_db


def files_under(folder) -> list[str]:
    """Every file left, temporary ones included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def full_disk(monkeypatch):
    """The disk fills once a few bytes of the file are written: the write is real,
    and partial, when ENOSPC comes. Lists the sizes reached on disk."""
    reached = []

    def write_then_fill(file, chunk):
        file.write(chunk[:100])
        file.flush()
        reached.append(os.fstat(file.fileno()).st_size)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage, "write_chunk", write_then_fill)
    return reached


FR_TITLE = "Le serveur manque d’espace disque"
EN_TITLE = "The server is short of disk space"


@pytest.mark.parametrize(
    ("language", "title", "reassurance"),
    [
        ("fr", FR_TITLE, "rien d’autre n’a été modifié"),
        ("en", EN_TITLE, "nothing else was changed"),
    ],
)
def test_a_document_sent_to_a_full_disk_leaves_nothing_and_says_so(
    client, representative, organisation_a, settings, full_disk, language, title, reassurance
):
    client.force_login(representative)
    client.cookies["django_language"] = language
    documents, entries = Document.objects.count(), AuditEntry.objects.count()
    files_before = files_under(settings.MEDIA_ROOT)
    upload = SimpleUploadedFile("statuts.pdf", PDF_BYTES * 10)

    response = client.post(reverse("members:add-document"), {"kind": "statutes", "file": upload})

    assert full_disk == [100]  # a real partial write happened
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    page = response.content.decode()
    assert title in page
    assert reassurance in page
    assert f'href="{reverse("members:add-document")}"' in page
    assert files_under(settings.MEDIA_ROOT) == files_before
    assert (Document.objects.count(), AuditEntry.objects.count()) == (documents, entries)


def test_a_photo_sent_to_a_full_disk_leaves_no_row_and_no_file(
    client, secretariat, settings, full_disk
):
    workshop = make_workshop()
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:photo-add", args=[workshop.pk]),
        {"caption": "Photo de famille", "file": SimpleUploadedFile("f.jpg", image_bytes("JPEG"))},
    )
    assert response.status_code == 503
    assert FR_TITLE in response.content.decode()
    assert not WorkshopPhoto.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_typed_sheet_sent_to_a_full_disk_leaves_no_import(
    client, secretariat, settings, full_disk
):
    workshop = make_workshop()
    client.force_login(secretariat)
    sheet = io.BytesIO("Nom et prénom;Sexe\nBakary Dembélé;M\n".encode())
    sheet.name = "feuille.csv"
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": sheet})
    assert response.status_code == 503
    assert not AttendanceImport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_another_write_error_also_removes_the_partial_file(settings, monkeypatch):
    def write_then_fail(file, chunk):
        file.write(chunk[:10])
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(storage, "write_chunk", write_then_fail)
    with pytest.raises(OSError, match="Input/output error"):
        AtomicFileSystemStorage().save("workshops/a.pdf", ContentFile(PDF_BYTES))
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_stored_file_is_whole_and_readable_by_the_portal_only(settings):
    os.umask(0o022)
    name = AtomicFileSystemStorage().save("organisations/1/a.pdf", ContentFile(PDF_BYTES))
    path = settings.MEDIA_ROOT / name
    assert path.read_bytes() == PDF_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert files_under(settings.MEDIA_ROOT) == [name]


def test_a_name_taken_meanwhile_is_never_overwritten(settings, monkeypatch):
    store = AtomicFileSystemStorage()
    first = store.save("workshops/a.pdf", ContentFile(b"first"))
    # Another request chose the same name and wrote it first: this one gets the next.
    names = iter([first, "workshops/b.pdf"])
    monkeypatch.setattr(store, "get_available_name", lambda name, max_length=None: next(names))
    second = store.save("workshops/a.pdf", ContentFile(b"second"))
    assert second == "workshops/b.pdf"
    assert (settings.MEDIA_ROOT / first).read_bytes() == b"first"
    assert files_under(settings.MEDIA_ROOT) == ["workshops/a.pdf", "workshops/b.pdf"]


def test_every_file_of_every_model_is_written_whole_or_not_at_all():
    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and not isinstance(field.storage, AtomicFileSystemStorage)
    ]
    assert fields == []
