"""Projects, the workshops held under them, and what each workshop produced."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.models import ChoiceLabels
from members.models import Organisation, Region
from workshops.models.attendance import Attendance
from workshops.models.choices import (
    Horizon,
    OutcomeKind,
    OutcomeStatus,
    WorkshopKind,
    WorkshopStatus,
)


def _percent_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": 100}), name=name
    )


class Project(models.Model):
    """A funded programme that workshops belong to, with its participation targets."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    funders = models.ManyToManyField(
        Organisation, verbose_name=_("funding partners"), related_name="funded_projects"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    women_target_percent = models.PositiveSmallIntegerField(
        _("target share of women (%)"), null=True, blank=True
    )
    youth_target_percent = models.PositiveSmallIntegerField(
        _("target share of youth (%)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="workshops_project_ends_after_start",
            ),
            _percent_check("women_target_percent", "workshops_project_women_target_percent"),
            _percent_check("youth_target_percent", "workshops_project_youth_target_percent"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkshopQuerySet(models.QuerySet):
    def held(self) -> WorkshopQuerySet:
        return self.filter(status=WorkshopStatus.HELD)

    def public(self) -> WorkshopQuerySet:
        """Workshops anyone may read about (never their attendees)."""
        return self.filter(is_public=True)

    def with_attendee_count(self) -> WorkshopQuerySet:
        """Each workshop's number of attendances, counted for the rows read only
        (a join and GROUP BY would count every attendance of every workshop)."""
        per_workshop = (
            Attendance.objects.filter(workshop=models.OuterRef("pk"))
            .order_by()
            .values("workshop")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(attendee_count=Coalesce(models.Subquery(per_workshop), 0))

    def funded_by(self, organisation: Organisation | int) -> WorkshopQuerySet:
        """Workshops the organisation (or its id) funds, directly or through their project."""
        direct = self.filter(funders=organisation).values("pk")
        through_project = self.filter(project__funders=organisation).values("pk")
        return self.filter(Q(pk__in=direct) | Q(pk__in=through_project))


class Workshop(ChoiceLabels, models.Model):
    """One event of the alliance: a workshop, forum, training, assembly…"""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=WorkshopKind.choices, default=WorkshopKind.ATELIER
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="workshops",
        null=True,
        blank=True,
    )
    funders = models.ManyToManyField(
        Organisation,
        verbose_name=_("funding partners"),
        related_name="funded_workshops",
        blank=True,
    )
    objectives = models.TextField(_("objectives"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Anyone may then read its summary, objectives, outcomes and public files; "
            "never its attendees."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("manage_workshop", _("Can record workshops, their participants, outcomes and files")),
            (
                "view_attendance_report",
                _("Can read the attendance reports of the workshops their organisation funds"),
            ),
            ("view_all_attendance_reports", _("Can read the attendance report of every workshop")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="workshops_workshop_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=WorkshopKind.values), name="workshops_workshop_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorkshopStatus.values),
                name="workshops_workshop_status_known",
            ),
            models.CheckConstraint(
                condition=Q(region__in=[*Region.values, ""]),
                name="workshops_workshop_region_known",
            ),
        ]
        indexes = [models.Index(fields=["start_date"], name="workshops_workshop_start")]

    def __str__(self) -> str:
        return self.title

    def all_funders(self):
        """Organisations funding the workshop directly or through its project."""
        return (
            Organisation.objects.filter(
                Q(funded_workshops=self) | Q(funded_projects__workshops=self)
            )
            .distinct()
            .order_by("name")
        )

    @property
    def days(self) -> list[datetime.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]


class OutcomeQuerySet(models.QuerySet):
    def in_reading_order(self) -> OutcomeQuerySet:
        """Decisions, then priorities, recommendations and action lines by horizon."""
        kind_rank = models.Case(
            *(models.When(kind=kind, then=rank) for rank, kind in enumerate(OutcomeKind.values)),
            output_field=models.IntegerField(),
        )
        horizon_rank = models.Case(
            *(models.When(horizon=h, then=rank) for rank, h in enumerate(Horizon.values)),
            default=-1,
            output_field=models.IntegerField(),
        )
        return self.order_by(kind_rank, horizon_rank, "order", "pk")


class Outcome(models.Model):
    """What an event produced: a decision, a priority, a recommendation or an action line."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=16, choices=OutcomeKind.choices)
    text = models.TextField(_("text"))
    horizon = models.CharField(_("horizon"), max_length=8, choices=Horizon.choices, blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=OutcomeStatus.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="workshops_outcome_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(horizon="")
                | Q(kind=OutcomeKind.ACTION_LINE, horizon__in=Horizon.values),
                name="workshops_outcome_horizon_only_for_action_lines",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[*OutcomeStatus.values, ""]),
                name="workshops_outcome_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
