"""What the worker does for reports: write a large export with its author's access,
and delete exports after a day. They are asked for through `reports.services`."""

from __future__ import annotations

import datetime
import tempfile
import uuid

from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from reports import exports
from reports.models import EXPORT_KEPT, ExportJob, ExportStatus


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
