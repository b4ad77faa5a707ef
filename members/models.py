from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import ChoiceLabels
from common.text import match_key
from common.uploads import EXTENSIONS, private_storage
from common.words import file_size


class Region(models.TextChoices):
    BAMAKO = "bamako", _("District de Bamako")
    KAYES = "kayes", "Kayes"
    KOULIKORO = "koulikoro", "Koulikoro"
    SIKASSO = "sikasso", "Sikasso"
    SEGOU = "segou", "Ségou"
    MOPTI = "mopti", "Mopti"
    TOMBOUCTOU = "tombouctou", "Tombouctou"
    GAO = "gao", "Gao"
    KIDAL = "kidal", "Kidal"
    TAOUDENIT = "taoudenit", "Taoudénit"
    MENAKA = "menaka", "Ménaka"
    NIORO = "nioro", "Nioro du Sahel"
    KITA = "kita", "Kita"
    DIOILA = "dioila", "Dioïla"
    NARA = "nara", "Nara"
    BOUGOUNI = "bougouni", "Bougouni"
    KOUTIALA = "koutiala", "Koutiala"
    SAN = "san", "San"
    DOUENTZA = "douentza", "Douentza"
    BANDIAGARA = "bandiagara", "Bandiagara"


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    NGO = "ngo", _("NGO")
    COOPERATIVE = "cooperative", _("Cooperative")
    UNION = "union", _("Trade union")
    NETWORK = "network", _("Network or umbrella organisation")
    WOMEN = "women", _("Women's group")
    YOUTH = "youth", _("Youth association")
    MEDIA = "media", _("Media")
    FAITH = "faith", _("Religious or community organisation")
    RESEARCH = "research", _("Research centre")
    PUBLIC = "public", _("Public institution")
    PARTNER = "partner", _("Technical and financial partner")
    OTHER = "other", _("Other")
    # An organisation met only on a sign-in sheet, whose kind nobody has told yet.
    UNKNOWN = "unknown", _("Unknown")


class ThemeCode(models.TextChoices):
    SSR = "ssr", _("Security sector reform and governance")
    PEACE = "peace", _("Peace and reconciliation")
    HUMAN_RIGHTS = "human-rights", _("Human rights")
    JUSTICE = "justice", _("Justice and rule of law")
    GENDER = "gender", _("Women, peace and security")
    YOUTH = "youth", _("Youth")
    ACCOUNTABILITY = "accountability", _("Citizen oversight and accountability")
    EXTREMISM = "extremism", _("Preventing violent extremism")
    ELECTIONS = "elections", _("Elections and democracy")
    LOCAL = "local", _("Local development and governance")
    MEDIA = "media", _("Media and information")


class MembershipStatus(models.TextChoices):
    NONE = "none", _("Not a member")
    MEMBER = "member", _("Member")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganisationQuerySet(models.QuerySet):
    def members(self) -> OrganisationQuerySet:
        return self.filter(membership_status=MembershipStatus.MEMBER)

    def listed(self) -> OrganisationQuerySet:
        """Members that chose to appear in the public directory."""
        return self.members().filter(listed_in_directory=True)

    def search(self, *, q: str = "", region: str = "", theme: str = "") -> OrganisationQuerySet:
        """Filter by a piece of the name or acronym (without regard to case or
        accents), a region and a theme."""
        organisations = self
        if key := match_key(q):
            organisations = organisations.filter(
                Q(name_key__contains=key) | Q(acronym_key__contains=key)
            )
        if region:
            organisations = organisations.filter(region=region)
        if theme:
            organisations = organisations.filter(themes__code=theme)
        return organisations

    def regions_covered(self) -> int:
        return self.exclude(region="").values("region").distinct().count()

    def partners(self) -> OrganisationQuerySet:
        """The technical and financial partners, whose staff read reports."""
        return self.filter(kind=OrganisationKind.PARTNER)

    def reviewable_by(self, user) -> OrganisationQuerySet:
        """Without the organisations the reviewer represents (admins see all)."""
        if user.is_superuser:
            return self
        return self.exclude(representatives__user=user)

    def matching(self, text: str) -> OrganisationQuerySet:
        key = match_key(text)
        if not key:
            return self.none()
        return self.filter(Q(name_key=key) | Q(acronym_key=key))


class Organisation(ChoiceLabels, models.Model):
    """One register for every organisation: members, applicants, other OSC,
    institutions and partners alike."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    name_key = models.CharField(max_length=200, editable=False)
    acronym_key = models.CharField(max_length=30, editable=False, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    registration_number = models.CharField(
        _("registration number (récépissé)"), max_length=60, blank=True
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    founding_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    themes = models.ManyToManyField("Theme", verbose_name=_("themes"), blank=True)
    ccsc_purn_member = models.BooleanField(_("member of the CCSC-PURN coalition"), default=False)
    description = models.TextField(_("description"), blank=True)
    listed_in_directory = models.BooleanField(_("listed in the public directory"), default=False)
    membership_status = models.CharField(
        _("membership"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.NONE,
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("view_draft_organisation", _("Can see an organisation's draft that was never sent"))
        ]
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="members_organisation_name_unique"),
            models.UniqueConstraint(
                fields=["acronym_key"],
                condition=~Q(acronym_key=""),
                name="members_organisation_acronym_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="members_organisation_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(region__in=[*Region.values, ""]),
                name="members_organisation_region_known",
            ),
            models.CheckConstraint(
                condition=Q(membership_status__in=MembershipStatus.values),
                name="members_organisation_membership_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_member(self) -> bool:
        return self.membership_status == MembershipStatus.MEMBER

    @property
    def is_suspended(self) -> bool:
        return self.membership_status == MembershipStatus.SUSPENDED

    @property
    def has_withdrawn(self) -> bool:
        return self.membership_status == MembershipStatus.WITHDRAWN

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.PARTNER


class Theme(models.Model):
    """A field an organisation works in; the fixed list is made by a migration."""

    code = models.CharField(primary_key=True, max_length=20, choices=ThemeCode.choices)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.get_code_display())


def ensure_themes(**kwargs) -> None:
    """Keep one row per theme of the fixed list, after every migrate."""
    Theme.objects.bulk_create(
        [Theme(code=code) for code in ThemeCode.values], ignore_conflicts=True
    )


class Representative(models.Model):
    """A person who speaks for an organisation in the portal."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representation"
    )
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    MORE_INFORMATION = "more-information", _("More information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


AWAITING_DECISION = [ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED]
OPEN_STATUSES = [*AWAITING_DECISION, ApplicationStatus.DRAFT, ApplicationStatus.MORE_INFORMATION]


class ApplicationQuerySet(models.QuerySet):
    def awaiting_decision(self) -> ApplicationQuerySet:
        """The committee's queue, oldest submission first, with its votes counted
        per row (no GROUP BY: counting the queue, or a page of it, stays cheap)."""
        votes = (
            Vote.objects.filter(application=models.OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.filter(status__in=AWAITING_DECISION)
            .select_related("organisation")
            .annotate(votes_cast=Coalesce(models.Subquery(votes), 0))
            .order_by("submitted_at", "pk")
        )

    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def reviewable_by(self, user) -> ApplicationQuerySet:
        """Without the applications of the organisations the reviewer represents:
        a conflict of interest ends at the door (admins, who never vote, see all)."""
        if user.is_superuser:
            return self
        return self.exclude(organisation__representatives__user=user)


class Application(ChoiceLabels, models.Model):
    """An organisation's request to join the alliance, and its decision."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    information_request = models.TextField(_("information requested"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at"]
        permissions = [("decide_application", _("Can vote on membership applications"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="members_application_status_known",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=OPEN_STATUSES),
                name="members_application_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_editable(self) -> bool:
        """The applicant may still change the profile and documents."""
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.MORE_INFORMATION)

    @property
    def awaits_decision(self) -> bool:
        return self.status in AWAITING_DECISION

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_returned(self) -> bool:
        """Sent back to the applicant with a request for more information."""
        return self.status == ApplicationStatus.MORE_INFORMATION

    @property
    def is_resubmission(self) -> bool:
        return self.status == ApplicationStatus.RESUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == ApplicationStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == ApplicationStatus.REJECTED

    @property
    def days_waiting(self) -> int | None:
        if self.submitted_at is None:
            return None
        return (timezone.now() - self.submitted_at).days


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """A committee member's vote; it can change until the decision falls."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="membership_votes"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    comment = models.TextField(_("comment"), blank=True)
    cast_at = models.DateTimeField(_("cast"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["cast_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "voter"], name="members_vote_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=VoteChoice.values), name="members_vote_choice_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter}: {self.get_choice_display()}"


class DocumentKind(models.TextChoices):
    STATUTES = "statutes", _("Statutes")
    RECEIPT = "receipt", _("Registration receipt (récépissé)")
    OTHER = "other", _("Other document")


REQUIRED_DOCUMENTS = [DocumentKind.STATUTES, DocumentKind.RECEIPT]


def document_path(document: Document, filename: str) -> str:
    # The stored name is random, its extension that of the detected type: the
    # person's file name is kept in the row only.
    extension = EXTENSIONS.get(document.content_type, "")
    return f"organisations/{document.organisation_id}/{uuid.uuid4().hex}{extension}"


class Document(models.Model):
    """A file an organisation sent with its application."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="members_document_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def size_label(self) -> str:
        return file_size(self.size)
