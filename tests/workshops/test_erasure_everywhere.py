"""A person who checked in by QR code, then erased, is found nowhere: in no column
of any table, no admin list, no export, no file the portal keeps."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import pickle
import zipfile
import zlib
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from checkin.models import SelfCheckIn
from checkin.services import confirm_self_check_in, record_self_check_in
from reports.background import write_export
from reports.models import ExportJob, ExportStatus
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import AttendanceImport, ImportStatus, Person
from workshops.services.privacy import apply_retention, erase_person, personal_data_of

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "Kadiatou Sangaré", "+22376543210", "kadiatou@example.org"
TRACES = ("Kadiatou", "Sangaré", "SANGARE", "76543210", "76 54 32 10", EMAIL, "Présidente")


def traces_in(text: str) -> list[str]:
    return [trace for trace in TRACES if trace.lower() in text.lower()]


def every_text_of_every_table() -> str:
    """Every value of every row of every table, as text (raw SQL, so that tables
    without a model, such as the database cache, are read too)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the database itself)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    values.append(str(value))
    return "\n".join(values)


def _unpickled(data: bytes) -> str:
    try:
        return str(pickle.loads(data))  # noqa: S301 (the test's own cache, written by the portal)
    except Exception:
        return data.decode("utf-8", "replace")


def every_text_in_the_cache() -> str:
    """Every value of the shared cache, unpickled: the database cache keeps them
    compressed and encoded, Redis pickled, where a plain search would miss a name."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if backend is not None:  # Redis
        client = cache._cache.get_client()
        return "\n".join(_unpickled(client.get(key) or b"") for key in client.scan_iter())
    values = []
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table}")  # noqa: S608 (the cache's own table)
        for (value,) in cursor.fetchall():
            data = base64.b64decode(value)
            with contextlib.suppress(zlib.error):
                data = zlib.decompress(data)
            values.append(_unpickled(data))
    return "\n".join(values)


def text_of_file(data: bytes) -> str:
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def every_kept_file(settings) -> str:
    root = Path(settings.MEDIA_ROOT)
    files = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
    return "\n".join(text_of_file(path.read_bytes()) for path in files)


@pytest.fixture
def checked_in_by_qr(secretariat):
    """Kadiatou checks herself in on both days of a workshop: the first entry is
    confirmed by the secretariat, the second still waits."""
    workshop = make_workshop("Atelier de Ségou", start_date=dt.date(2026, 3, 2))
    make_attendance(workshop, make_person("Bakary Coulibaly", sex="M"), workshop.start_date)
    typed = {"full_name": NAME, "phone": PHONE, "email": EMAIL, "position": "Présidente"}
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        first = record_self_check_in(workshop, day=workshop.start_date, consent=True, **typed)
        attendance = confirm_self_check_in(first, by=secretariat)
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        record_self_check_in(workshop, day=workshop.end_date, consent=True, **typed)
    return workshop, attendance.person


@pytest.fixture
def named_elsewhere(checked_in_by_qr, secretariat):
    """The import report, the sheet waiting for confirmation and the export that name her."""
    workshop, kadiatou = checked_in_by_qr
    AttendanceImport.objects.create(
        workshop=workshop,
        file_name="jour1.csv",
        status=ImportStatus.CONFIRMED,
        report={
            "counts": {"rows": 1},
            "rows": [
                {"line": 3, "name": "SANGARE Kadiatou", "verdict": "matched", "refusal": "",
                 "same_as": None, "notes": ["Téléphone « 76 54 32 10 » illisible"], "changes": []},
            ],
        },
    )  # fmt: skip
    AttendanceImport.objects.create(
        workshop=workshop,
        file_name="jour2.csv",
        file=ContentFile("Nom et prénom;Sexe\nSANGARE Kadiatou;F\n".encode(), name="jour2.csv"),
    )
    job = ExportJob.objects.create(
        author=secretariat, workshop=workshop, language="fr", rows_total=2, file_name="liste.xlsx"
    )
    write_export(job.pk, job.generation)
    return workshop, kadiatou


def test_the_data_export_includes_the_person_s_own_check_ins(checked_in_by_qr):
    _workshop, kadiatou = checked_in_by_qr
    entries = personal_data_of(kadiatou)["checkin.SelfCheckIn"]
    assert [(e["day"], e["status"]) for e in entries] == [
        ("2026-03-03", "À confirmer"),
        ("2026-03-02", "Confirmé"),
    ]
    assert {(e["full_name"], e["phone"], e["position"]) for e in entries} == {
        (NAME, PHONE, "Présidente")
    }


def test_an_erased_person_who_checked_in_by_qr_is_found_nowhere(
    named_elsewhere, secretariat, admin_user, client, django_capture_on_commit_callbacks
):
    workshop, kadiatou = named_elsewhere
    client.force_login(secretariat)
    # Before: her name is in the tables, the files and the pages (kept in the cache too).
    assert client.get(reverse("workshops:manage", args=[workshop.pk])).status_code == 200
    assert traces_in(every_text_of_every_table())
    assert traces_in(every_text_in_the_cache())
    assert traces_in(every_kept_file(settings))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshops:person-erase", args=[kadiatou.pk]))
    kadiatou.refresh_from_db()
    assert kadiatou.erased_at is not None
    assert not SelfCheckIn.objects.exists()
    assert not AttendanceImport.objects.filter(status=ImportStatus.PENDING).exists()
    # The export was written again, without her, once the erasure committed.
    assert ExportJob.objects.get().status == ExportStatus.DONE
    assert "Bakary Coulibaly" in every_kept_file(settings)

    assert traces_in(every_text_of_every_table()) == []
    assert traces_in(every_text_in_the_cache()) == []
    assert traces_in(every_kept_file(settings)) == []
    for name in ("workshops:manage", "workshops:people"):
        url = reverse(name, args=[workshop.pk] if name == "workshops:manage" else [])
        assert traces_in(client.get(url).content.decode()) == []
    for name in ("reports:workshop-xlsx", "reports:workshop-list-csv"):
        response = client.get(reverse(name, args=[workshop.pk]))
        assert traces_in(text_of_file(b"".join(response.streaming_content))) == []
    client.force_login(admin_user)
    for model in admin.site._registry:
        meta = model._meta
        page = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert page.status_code == 200, meta.label
        assert traces_in(page.content.decode()) == [], meta.label
    assert traces_in(json.dumps(personal_data_of(kadiatou), ensure_ascii=False)) == []


def test_a_homonym_s_check_in_matched_to_someone_else_stays(checked_in_by_qr, secretariat):
    workshop, kadiatou = checked_in_by_qr
    other = make_person(NAME, phone="+22370000000")
    SelfCheckIn.objects.all().delete()
    SelfCheckIn.objects.create(
        workshop=workshop,
        day=workshop.start_date,
        full_name=NAME,
        name_key=kadiatou.name_key,
        phone="+22370000000",
        matched_person=other,
    )
    erase_person(kadiatou, by=secretariat)
    assert SelfCheckIn.objects.get().matched_person == other
    assert Person.objects.get(pk=other.pk).full_name == NAME


def test_an_export_being_written_while_a_person_is_erased_is_written_again(
    named_elsewhere, secretariat, settings, django_capture_on_commit_callbacks
):
    _workshop, kadiatou = named_elsewhere
    job = ExportJob.objects.get()
    job.file.delete(save=False)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED, file="")
    generation = job.generation
    with django_capture_on_commit_callbacks(execute=False) as rewrites:
        erase_person(kadiatou, by=secretariat)  # the first task has not finished yet
    write_export(job.pk, generation)
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED
    assert not job.file
    for rewrite in rewrites:  # the task enqueued by the erasure
        rewrite()
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert traces_in(every_kept_file(settings)) == []


def test_retention_deletes_the_check_ins_of_workshops_past_it(
    checked_in_by_qr, settings, time_machine
):
    SelfCheckIn.objects.update(matched_person=None, name_key="", phone="", email="")
    settings.ACRSS_RETENTION_YEARS = 3
    time_machine.move_to(dt.datetime(2028, 6, 1, 12, tzinfo=dt.UTC))
    apply_retention()
    assert SelfCheckIn.objects.count() == 2  # the workshop ended less than 3 years ago
    time_machine.move_to(dt.datetime(2029, 6, 1, 12, tzinfo=dt.UTC))
    apply_retention()
    assert not SelfCheckIn.objects.exists()
