"""What reports change: large exports asked for (the worker writes them, in
`reports/background.py`), and the audit log when personal data leaves the portal."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import translation

from audit.models import AuditAction
from audit.services import log_action
from reports import exports, tasks
from reports.models import ExportJob, ExportStatus
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


def query_of(data: QueryDict) -> str:
    """A set report's filter as its URL carries it, without the confirmation's token."""
    data = data.copy()
    data.pop("csrfmiddlewaretoken", None)
    return data.urlencode()
