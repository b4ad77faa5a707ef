"""What is captured on the day of a workshop and what is produced after it.

A participant's own check-in waits here, typed as they typed it, until the
secretariat confirms, merges or rejects it: only then does it become a
person, an attendance and a presence, which are what the reports read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workshops.models import Person, Sex, Workshop


class SelfCheckInStatus(models.TextChoices):
    PENDING = "pending", _("To confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class SelfCheckInQuerySet(models.QuerySet):
    def pending(self) -> SelfCheckInQuerySet:
        return self.filter(status=SelfCheckInStatus.PENDING)

    def of_person(self, person: Person) -> SelfCheckInQuerySet:
        """The entries a person typed: recorded on them, or with their phone or e-mail,
        or with their name and matched to nobody else."""
        condition = Q(matched_person=person)
        if person.phone:
            condition |= Q(phone=person.phone)
        if person.email:
            condition |= Q(email__iexact=person.email)
        if person.name_key:
            condition |= Q(name_key=person.name_key) & (
                Q(matched_person=None) | Q(matched_person=person)
            )
        return self.filter(condition)

    def to_review(self, workshop: Workshop) -> SelfCheckInQuerySet:
        """The entries of a workshop still to confirm, oldest first, with their match."""
        return (
            self.pending()
            .filter(workshop=workshop)
            .select_related("matched_person__organisation")
            .order_by("created_at", "pk")
        )


class SelfCheckIn(models.Model):
    """A participant's check-in by the day's QR code, to be confirmed before it counts."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    full_name = models.CharField(_("full name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent = models.BooleanField(_("consent given"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SelfCheckInStatus.choices,
        default=SelfCheckInStatus.PENDING,
    )
    # The known person this entry most likely is, found when it was typed; once
    # decided, the person it was recorded on.
    matched_person = models.ForeignKey(
        Person,
        verbose_name=_("matched person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SelfCheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("self check-in")
        verbose_name_plural = _("self check-ins")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SelfCheckInStatus.values),
                name="checkin_selfcheckin_status_known",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="checkin_selfcheckin_sex_known"
            ),
        ]
        indexes = [
            models.Index(fields=["workshop", "status"], name="checkin_selfcheckin_review"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.day}"


class CertificateSettings(models.Model):
    """Who signs a workshop's certificates of participation."""

    workshop = models.OneToOneField(
        Workshop,
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="certificate_settings",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_function = models.CharField(_("signatory's function"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")

    def __str__(self) -> str:
        return str(self.workshop)
