"""Who attended which workshop, in which role, and on which days."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from common.models import ChoiceLabels
from workshops.models.choices import AgeGroup, AttendanceRole
from workshops.models.people import Person


class AttendanceQuerySet(models.QuerySet):
    def for_list(self) -> AttendanceQuerySet:
        """Attendances with their person, organisation and days present (``presences_kept``,
        in order) in few queries: a list, cheaper to read per row than the related manager."""
        return self.select_related("person__organisation").prefetch_related(
            Prefetch("presences", to_attr="presences_kept")
        )


class Attendance(ChoiceLabels, models.Model):
    """A person at a workshop, in one role; the days present are Presence rows."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AttendanceRole.choices, default=AttendanceRole.PARTICIPANT
    )
    # Empty while the person's year of birth is known (reports compute it);
    # stored when that year is erased, so that no report figure changes.
    age_group_at_event = models.CharField(
        _("age group on the first day"), max_length=8, choices=AgeGroup.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"], name="workshops_attendance_once_per_workshop"
            ),
            models.CheckConstraint(
                condition=Q(role__in=AttendanceRole.values),
                name="workshops_attendance_role_known",
            ),
            models.CheckConstraint(
                condition=Q(age_group_at_event__in=AgeGroup.values),
                name="workshops_attendance_age_group_known",
            ),
        ]
        indexes = [models.Index(fields=["workshop", "role"], name="workshops_attendance_role")]

    def __str__(self) -> str:
        return f"{self.person} — {self.workshop}"


class Presence(models.Model):
    """One day an attendee was there: one row per day present."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="presences")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "day"], name="workshops_presence_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="workshops_presence_day")]

    def __str__(self) -> str:
        return f"{self.attendance} — {self.day}"
