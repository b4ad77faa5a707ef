"""The people who attend workshops: each exists once, however many events they attend."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import ChoiceLabels
from common.text import match_key
from members.models import Organisation, Region
from workshops import rules
from workshops.models.choices import AgeGroup, Sex


class PersonQuerySet(models.QuerySet):
    def search(self, text: str) -> PersonQuerySet:
        """People whose name (every word, without case or accents), phone or e-mail
        contains the text."""
        text = text.strip()
        words = [key for word in text.split() if (key := match_key(word))]
        if not words:
            return self.none()
        by_name = Q()
        for word in words:
            by_name &= Q(name_key__contains=word)
        condition = by_name
        digits = "".join(char for char in text if char.isdigit())
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits)
        if "@" in text:
            condition |= Q(email__iexact=text)
        return self.filter(condition)


def organisation_label(acronym: str | None, name: str | None) -> str:
    """The organisation's acronym, or its name: what fits a sign-in sheet's column."""
    return acronym or name or ""


class Person(ChoiceLabels, models.Model):
    """Someone who attended an event; exists once however many events they attend."""

    full_name = models.CharField(_("full name"), max_length=200)
    # The name's words without case or accents, sorted: see common.text.person_name_key.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    # Read only when the year of birth is unknown.
    age_group = models.CharField(
        _("age group"),
        max_length=5,
        choices=AgeGroup.choices,
        blank=True,
        help_text=_("Only when the year of birth is unknown, from a typed range such as 40+."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    consent_recorded = models.BooleanField(_("consent recorded"), default=False)
    consent_date = models.DateField(_("date of consent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the identity was erased: name, phone, e-mail, year of birth and
    # position are gone; sex, organisation, region and attendances stay.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "pk"]
        permissions = [
            ("export_person", _("Can download everything the portal holds on a person")),
            ("erase_person", _("Can erase a person's identity")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values), name="workshops_person_sex_known"
            ),
            models.CheckConstraint(
                condition=Q(region__in=[*Region.values, ""]),
                name="workshops_person_region_known",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="workshops_person_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(age_group__in=AgeGroup.values), name="workshops_person_age_group_known"
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("Erased person no. %(pk)s") % {"pk": self.pk})
        return self.full_name

    @property
    def sex_is_known(self) -> bool:
        return self.sex in (Sex.FEMALE, Sex.MALE)

    @property
    def organisation_label(self) -> str:
        organisation = self.organisation
        return organisation_label(organisation.acronym, organisation.name) if organisation else ""

    def age_on(self, day: datetime.date) -> int | None:
        """The age reached in the year of the day: only the birth year is known."""
        return None if self.birth_year is None else day.year - self.birth_year

    def is_youth_on(self, day: datetime.date, max_age: int | None = None) -> bool | None:
        """Whether the person counts as youth at an event on that day (None: unknown),
        by the rule of ``workshops.rules``; an attendance's kept group is not seen here."""
        group = rules.age_group(
            birth_year=self.birth_year,
            event_year=day.year,
            typed_group=self.age_group,
            max_age=max_age,
        )
        return {AgeGroup.YOUTH: True, AgeGroup.OLDER: False}.get(group)
