"""What reports keep: large exports written in the background."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# A finished export is kept this long for its author, then deleted.
EXPORT_KEPT = datetime.timedelta(days=1)


class ExportJob(models.Model):
    """An export too large to write within a request, written by a task (`reports/tasks.py`).

    It keeps what to export (a workshop, or a set report's filter as in its
    URL) rather than the rows: the worker counts them with the author's access
    at the time it runs."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    workshop = models.ForeignKey(
        "workshops.Workshop", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(max_length=2000, blank=True)
    language = models.CharField(max_length=10)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    # Raised each time the export is sent back to the queue: only the task enqueued
    # then writes it, an older one still running finds itself outdated.
    generation = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_job_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="export_job_queue")]

    def __str__(self) -> str:
        return self.file_name or f"export {self.pk}"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + EXPORT_KEPT

    @property
    def percent_done(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE
