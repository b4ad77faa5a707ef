"""An XLSX too large for a request is written in the background, by the worker:
asked for on a confirmation page, followed on its own page, downloaded by its
author for a day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEntry
from common.jobs import Job
from reports.models import ExportJob, ExportStatus
from tests.tasks import ON_THE_DATABASE, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings):
    settings.TASKS = ON_THE_DATABASE


@pytest.fixture
def small_limit(settings):
    settings.ACRSS_XLSX_IN_REQUEST_ROWS = 3


def read(response) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_a_large_export_is_confirmed_queued_written_and_downloaded(
    client, fes_partner, example, small_limit
):
    client.force_login(fes_partner)
    query = f"?project={example.project.pk}"
    page = client.get("/reports/export.xlsx" + query)
    assert page.status_code == 200
    assert "4 lignes" in page.content.decode()
    assert not ExportJob.objects.exists()

    response = client.post("/reports/export.xlsx" + query)
    job = ExportJob.objects.get()
    assert response["Location"] == f"/reports/exports/{job.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting
    assert "0 sur 4 lignes écrites" in waiting
    entry = AuditEntry.objects.get(action=AuditAction.REPORT_EXPORTED)
    assert (entry.actor, entry.data["rows"], entry.data["job"]) == (fes_partner, 4, job.pk)

    run_worker()

    ready = client.get(f"/reports/exports/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in ready
    assert f"/reports/exports/{job.pk}/file.xlsx" in ready
    download = client.get(f"/reports/exports/{job.pk}/file.xlsx")
    assert download["Content-Disposition"].startswith(
        'attachment; filename="acrss-report-securite-pour-tous-'
    )
    sheets = read(download)
    names = sorted(row[2] for row in sheets["Liste"][1:])
    assert names == ["Awa Traoré", "Fatou Maïga", "Moussa Diarra", "Sidy Keïta"]
    assert "awa@example.org" not in str(sheets)


def test_an_export_under_the_limit_is_written_in_the_request(client, fes_partner, example):
    client.force_login(fes_partner)
    response = client.get(f"/reports/workshops/{example.founding.pk}/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_only_the_author_reaches_the_export_and_only_for_a_day(
    client, fes_partner, secretariat, example, small_limit
):
    client.force_login(fes_partner)
    client.post(f"/reports/workshops/{example.founding.pk}/export.xlsx")
    job = ExportJob.objects.get()
    run_worker()
    file_name = job.file_name

    client.force_login(secretariat)
    assert client.get(f"/reports/exports/{job.pk}/").status_code == 404
    assert client.get(f"/reports/exports/{job.pk}/file.xlsx").status_code == 404

    client.force_login(fes_partner)
    assert client.get(f"/reports/exports/{job.pk}/file.xlsx").status_code == 200
    tomorrow = timezone.now() + dt.timedelta(days=1, minutes=1)
    with time_machine.travel(tomorrow, tick=False):
        # A staff session does not last a day: she signs in again.
        client.force_login(fes_partner)
        assert client.get(f"/reports/exports/{job.pk}/").status_code == 404
        run_worker()
    assert not ExportJob.objects.exists()
    assert file_name


def test_an_export_its_author_may_no_longer_read_fails(client, fes_partner, example, small_limit):
    client.force_login(fes_partner)
    client.post(f"/reports/workshops/{example.founding.pk}/export.xlsx")
    example.project.funders.clear()

    run_worker()

    page = client.get(f"/reports/exports/{ExportJob.objects.get().pk}/").content.decode()
    assert "n’a pas pu être écrit" in page or "n'a pas pu être écrit" in page


def test_an_export_whose_worker_died_at_three_percent_is_written_again(
    client, fes_partner, example, settings, time_machine
):
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.ACRSS_XLSX_IN_REQUEST_ROWS = 3
    client.force_login(fes_partner)
    client.post(f"/reports/workshops/{example.founding.pk}/export.xlsx")
    export = ExportJob.objects.get()
    # A worker takes it, writes a few rows, and is killed.
    Job.objects.get(task_path="reports.tasks.write_export").claim("a-worker-that-died")
    ExportJob.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_done=1)
    page = client.get(f"/reports/exports/{export.pk}/").content.decode()
    assert "1 sur 4 lignes écrites" in page

    time_machine.shift(dt.timedelta(minutes=1, seconds=1))
    run_worker()

    export.refresh_from_db()
    assert (export.status, export.rows_done) == (ExportStatus.DONE, 4)
    download = client.get(f"/reports/exports/{export.pk}/file.xlsx")
    assert download.status_code == 200
