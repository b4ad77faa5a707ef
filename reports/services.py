"""What reports change: large exports written in
the background, and the audit log when personal data leaves the portal."""

from __future__ import annotations

import datetime
import tempfile
import uuid

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils import timezone, translation

from audit.models import AuditAction
from audit.services import log_action
from reports import exports, tasks
from reports.models import EXPORT_KEPT, ExportJob, ExportStatus
from workshops.models import Workshop


def record_export(
    *,
    by,
    file_format: str,
    workshop: Workshop | None,
    filters: dict[str, str],
    rows: int,
    job: ExportJob | None = None,
) -> None:
    """Write who exported what: the workshop or the filter, the format and the rows."""
    extra = {"job": job.pk} if job is not None else {}
    log_action(
        AuditAction.REPORT_EXPORTED,
        actor=by,
        target=workshop,
        format=file_format,
        filter=filters,
        rows=rows,
        **extra,
    )


def request_export(report: exports.Report, *, by, query: str) -> ExportJob:
    """Queue an XLSX export too large for a request, with the task that writes it;
    the audit log records it now."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            author=by,
            workshop=report.workshop,
            query=query,
            language=translation.get_language() or "fr",
            rows_total=report.rows,
            file_name=exports.file_name(report.subject, "xlsx"),
        )
        record_export(
            by=by,
            file_format="xlsx",
            workshop=report.workshop,
            filters=report.filters,
            rows=report.rows,
            job=job,
        )
        tasks.write_export.enqueue(job.pk, job.generation)
    return job


def write_export(job_id: int, generation: int) -> None:
    """Write the job's workbook with its author's access, saving the progress per
    chunk of rows. Nothing when the job is gone, finished, or was sent back to the
    queue since this task was enqueued (a newer task writes it). A failure puts it
    back to waiting and is raised, for the task to be tried again; an export its
    author may no longer read fails at once."""
    this_run = ExportJob.objects.filter(pk=job_id, generation=generation)
    job = this_run.exclude(status__in=[ExportStatus.DONE, ExportStatus.FAILED]).first()
    if job is None:
        return
    this_run.update(status=ExportStatus.RUNNING, rows_done=0)

    def progress(rows: int) -> None:
        this_run.update(rows_done=rows)

    try:
        with translation.override(job.language), tempfile.TemporaryFile() as file:
            report = exports.report_of_job(job)
            exports.write_xlsx(report, file, progress=progress)
            file.seek(0)
            job.file.save(f"{uuid.uuid4().hex}.xlsx", File(file), save=False)
    except (Http404, ValueError):
        # Its author may no longer read it, or its filter no longer holds: for good.
        give_up_export(job_id, generation)
        return
    except Exception:
        this_run.filter(status=ExportStatus.RUNNING).update(status=ExportStatus.QUEUED)
        raise
    finished = this_run.filter(status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        rows_done=report.rows,
        file=job.file.name,
        finished_at=timezone.now(),
    )
    if not finished:
        # Sent back to the queue meanwhile (a person it lists was erased): this
        # file may name them; the newer task writes it again.
        job.file.storage.delete(job.file.name)


def give_up_export(job_id: int, generation: int) -> None:
    """Its last try failed: its author reads that it failed."""
    ExportJob.objects.filter(pk=job_id, generation=generation).update(
        status=ExportStatus.FAILED, finished_at=timezone.now()
    )


def rewrite_exports_listing(person) -> None:
    """Erasure: an export that may list the person (of a workshop they attended, or
    of a set of workshops) is deleted and queued to be written again without them."""
    attended = person.attendances.values("workshop_id")
    jobs = (
        ExportJob.objects.select_for_update()
        .filter(Q(workshop__in=attended) | Q(workshop=None))
        .exclude(status=ExportStatus.FAILED)
    )
    for job in jobs:
        if job.file:
            name, storage = job.file.name, job.file.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        job.file = ""
        job.status, job.rows_done, job.finished_at = ExportStatus.QUEUED, 0, None
        job.generation += 1
        job.save(update_fields=["file", "status", "rows_done", "finished_at", "generation"])
        tasks.write_export.enqueue(job.pk, job.generation)


def purge_expired_exports(now: datetime.datetime | None = None) -> int:
    """Delete the exports older than a day, and their files; return how many."""
    expired = ExportJob.objects.filter(created_at__lt=(now or timezone.now()) - EXPORT_KEPT)
    count = 0
    for job in expired:
        with transaction.atomic():
            if job.file:
                name, storage = job.file.name, job.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            job.delete()
            count += 1
    return count


def query_of(data: QueryDict) -> str:
    """A set report's filter as its URL carries it, without the confirmation's token."""
    data = data.copy()
    data.pop("csrfmiddlewaretoken", None)
    return data.urlencode()
