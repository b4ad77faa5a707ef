"""Projects, workshops, the people who attend them, their presence and outcomes.

The attendance reports read these tables directly, so every fact a report
breaks down by (sex, birth year, role, organisation, region, day present) is a
plain column, and unknown stays unknown (never a guessed default).
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.models import ChoiceLabels
from common.text import match_key
from common.uploads import EXTENSIONS, private_storage
from members.models import Organisation, Region


class WorkshopKind(models.TextChoices):
    ATELIER = "atelier", _("Workshop")
    FORUM = "forum", _("Forum")
    FORMATION = "formation", _("Training")
    GENERAL_ASSEMBLY = "assemblee-generale", _("General assembly")
    CONFERENCE = "conference", _("Conference")
    MEETING = "reunion", _("Meeting")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    UNKNOWN = "U", _("Unknown")


class AgeGroup(models.TextChoices):
    """What is known of an age when no year of birth is: a typed range such as
    « 40+ » that falls wholly on one side of the youth limit, or an attendee's
    group on the first day of an event, kept when their year of birth is erased."""

    YOUTH = "youth", _("Young")
    OLDER = "older", _("Older")
    UNKNOWN = "", _("Unknown")


class AttendanceRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator")
    SPEAKER = "speaker", _("Speaker")
    ORGANISER = "organiser", _("Organiser")
    OFFICIAL_GUEST = "official-guest", _("Official guest")
    PRESS = "press", _("Press")


class OutcomeKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    PRIORITY = "priority", _("Priority")
    RECOMMENDATION = "recommendation", _("Recommendation")
    ACTION_LINE = "action-line", _("Action line")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class OutcomeStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


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
        """The organisation's acronym, or its name: what fits a sign-in sheet's column."""
        organisation = self.organisation
        return (organisation.acronym or organisation.name) if organisation else ""

    def age_on(self, day: datetime.date) -> int | None:
        """The age reached in the year of the day: only the birth year is known."""
        return None if self.birth_year is None else day.year - self.birth_year

    def is_youth_on(self, day: datetime.date, max_age: int | None = None) -> bool | None:
        age = self.age_on(day)
        max_age = settings.ACRSS_YOUTH_MAX_AGE if max_age is None else max_age
        if age is None:
            return {AgeGroup.YOUTH: True, AgeGroup.OLDER: False}.get(self.age_group)
        return age <= max_age


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
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="attendances"
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


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


def import_upload_path(instance, filename: str) -> str:
    """A random name: the sheet holds names and phones, and is deleted once done."""
    suffix = PurePath(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in ('.xlsx', '.csv', '.txt') else ''}"


class AttendanceImportQuerySet(models.QuerySet):
    def stale(self, now: datetime.datetime) -> AttendanceImportQuerySet:
        """Sheets uploaded more than a day ago and never confirmed."""
        return self.filter(
            status=ImportStatus.PENDING, created_at__lt=now - datetime.timedelta(days=1)
        )


class AttendanceImport(models.Model):
    """A typed sign-in sheet on its way in: the file waits here while the
    secretariat checks the preview, and the report of what it did stays after."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(storage=private_storage, upload_to=import_upload_path, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    day = models.DateField(_("day this sheet records"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the confirmed import did, row by row: names and remarks, never a phone or e-mail
    # beyond the raw value a remark is about.
    report = models.JSONField(default=dict, blank=True)

    objects = AttendanceImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="workshops_attendanceimport_status_known",
            )
        ]

    def __str__(self) -> str:
        return self.file_name


def private_upload_path(instance, filename: str) -> str:
    """A random name: the uploaded name is neither trusted nor revealed."""
    extension = EXTENSIONS.get(getattr(instance, "content_type", ""), PurePath(filename).suffix)
    return f"workshops/{uuid.uuid4().hex}{extension}"


class WorkshopFile(models.Model):
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_path)
    content_type = models.CharField(max_length=40, editable=False)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]


class WorkshopDocument(WorkshopFile):
    """A document of the event, such as a positioning paper (PDF, JPEG or PNG)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)

    class Meta(WorkshopFile.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class WorkshopPhoto(WorkshopFile):
    """A photo of the event (JPEG or PNG) with its caption and credit."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=200)

    class Meta(WorkshopFile.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption
