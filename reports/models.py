"""What reports keep: the summaries the database maintains, and large exports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports import summaries as _summaries


class SummaryState(models.Model):
    """One row: the fingerprint of the triggers installed and the youth limit they
    count with (see reports/summaries.py); a rebuild follows any difference."""

    fingerprint = models.CharField(max_length=64)
    youth_max_age = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reports_summarystate_one_row"),
        ]

    def __str__(self) -> str:
        return self.fingerprint


class AttendanceFact(models.Model):
    """An attendance as the reports classify it; written only by the database's triggers."""

    attendance_id = models.BigIntegerField(primary_key=True)
    workshop_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField(db_index=True)
    role = models.CharField(max_length=16)
    sex = models.CharField(max_length=1)
    age_group = models.CharField(max_length=8)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=20)
    organisation_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"attendance {self.attendance_id}"


class ScopePerson(models.Model):
    """A person once per scope (0: every workshop; else the partner funding them),
    classified at their first workshop of it; written only by the triggers."""

    scope_id = models.BigIntegerField()
    person_id = models.BigIntegerField(db_index=True)
    first_workshop_id = models.BigIntegerField()
    sex = models.CharField(max_length=1)
    age_group = models.CharField(max_length=8)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=20)
    organisation_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "person_id"], name="reports_scopeperson_once"
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} in scope {self.scope_id}"


class WorkshopSummary(models.Model):
    """A workshop's attendances summed, one row per workshop. ``revision`` grows with
    every change to what its reports show (people, the workshop, its funders),
    ``day_revision`` with every presence: caches are keyed by them."""

    workshop_id = models.BigIntegerField(primary_key=True)
    revision = models.BigIntegerField(db_default=0)
    day_revision = models.BigIntegerField(db_default=0)
    organisations = models.IntegerField(db_default=0)

    def __str__(self) -> str:
        return f"workshop {self.workshop_id}"


class ScopeSummary(models.Model):
    """The people of a scope first seen at one workshop, summed."""

    scope_id = models.BigIntegerField()
    workshop_id = models.BigIntegerField(db_index=True)
    revision = models.BigIntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "workshop_id"], name="reports_scopesummary_once"
            ),
        ]

    def __str__(self) -> str:
        return f"scope {self.scope_id}, workshop {self.workshop_id}"


class WorkshopDay(models.Model):
    """People present at a workshop on one day."""

    workshop_id = models.BigIntegerField()
    day = models.DateField()
    present = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop_id", "day"], name="reports_workshopday_once"),
        ]

    def __str__(self) -> str:
        return f"workshop {self.workshop_id} on {self.day}"


class WorkshopOrganisation(models.Model):
    """People of one organisation at a workshop: a workshop's unique organisations."""

    workshop_id = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    people = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop_id", "organisation_id"], name="reports_workshoporganisation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} at workshop {self.workshop_id}"


class ScopeOrganisation(models.Model):
    """People of one organisation in a scope: a scope's unique organisations."""

    scope_id = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    people = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "organisation_id"], name="reports_scopeorganisation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} in scope {self.scope_id}"


# The counted columns, one per value a figure breaks down by (see summaries.py).
for _name in _summaries.attendance_columns():
    WorkshopSummary.add_to_class(_name, models.IntegerField(db_default=0))
for _name in _summaries.person_columns():
    ScopeSummary.add_to_class(_name, models.IntegerField(db_default=0))


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# A finished export is kept this long for its author, then deleted.
EXPORT_KEPT = datetime.timedelta(days=1)


class ExportJob(models.Model):
    """An export too large to write within a request, written by `run_export_jobs`.

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
