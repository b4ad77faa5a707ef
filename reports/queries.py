"""The figures of an attendance report, aggregated by the database.

Whatever the number of workshops or attendees, a report costs the same four
queries: one over people (sex, age group, kind of organisation, region), one
over attendances (roles), one over presences (per day) and one over workshops
(one row per workshop). Python only turns their few numbers into labelled
lines and shares.

Counting rules, stated on the page and in the exports:
- people are counted once however many of the workshops they attended; their
  age group is taken on the first day of the first of these workshops;
- age = that day's year minus the year of birth (only the year is recorded), as
  ``Person.age_on`` does; youth means ``settings.ACRSS_YOUTH_MAX_AGE`` or younger;
- without a year of birth, an age group typed as a range wholly on one side of
  the youth limit (« 40+ ») counts; otherwise the age stays unknown;
- unknown sex or age stays unknown; shares are given both over the known
  values and over everyone;
- presence per day is counted per workshop and day: two workshops held on the
  same date are two lines;
- a set's target is its project's; without a chosen project, the target its
  workshops share, or "mixed" when they differ;
- a person whose identity was erased has no year of birth any more: each of
  their attendances keeps the age group it had (``age_group_at_event``), and
  their group on their first workshop is read from those (youth at any of the
  workshops means youth at the first), so no figure changes;
- roles are counted per attendance (one person may have two roles at two events).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from members.models import MembershipStatus, OrganisationKind, Region
from workshops.models import (
    AgeGroup,
    Attendance,
    AttendanceRole,
    Presence,
    Project,
    Sex,
    Workshop,
    WorkshopStatus,
)

YOUTH = "youth"
OLDER = "older"
UNKNOWN = "unknown"

# Kinds of organisation and membership, exclusive and taken in this order: an
# AC-RSS member that also belongs to the CCSC-PURN counts as an AC-RSS member.
CATEGORIES = [
    ("acrss-member", _("AC-RSS member")),
    ("ccsc-purn-member", _("CCSC-PURN member (not AC-RSS)")),
    ("public", _("Public institution")),
    ("partner", _("Technical and financial partner")),
    ("media", _("Media")),
    ("other-osc", _("Other civil-society organisation")),
    ("unknown-kind", _("Kind of organisation unknown")),
    ("none", _("No organisation recorded")),
]


def youth_max_age() -> int:
    return settings.ACRSS_YOUTH_MAX_AGE


def category_expression(prefix: str) -> Case:
    """The kind-of-organisation key of a person, computed by the database.

    ``prefix`` leads from the queried model to the organisation: "organisation__"
    from a person, "person__organisation__" from an attendance."""

    def q(**lookups) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    return Case(
        When(q(isnull=True), then=Value("none")),
        When(q(membership_status=MembershipStatus.MEMBER), then=Value("acrss-member")),
        When(q(ccsc_purn_member=True), then=Value("ccsc-purn-member")),
        When(q(kind=OrganisationKind.PUBLIC), then=Value("public")),
        When(q(kind=OrganisationKind.PARTNER), then=Value("partner")),
        When(q(kind=OrganisationKind.MEDIA), then=Value("media")),
        When(q(kind=OrganisationKind.UNKNOWN), then=Value("unknown-kind")),
        default=Value("other-osc"),
        output_field=CharField(),
    )


def age_group_of(age: int | None, max_age: int, *known_groups: str) -> str:
    """The age group from the age; without one, the first group known otherwise
    (typed on a sheet as a range, or kept on the attendance when the year of birth
    was erased)."""
    if age is None:
        return next((group for group in known_groups if group), UNKNOWN)
    return YOUTH if age <= max_age else OLDER


def age_group_labels(max_age: int) -> dict[str, str]:
    return {
        YOUTH: _("%(age)s or younger") % {"age": max_age},
        OLDER: _("%(age)s or older") % {"age": max_age + 1},
        UNKNOWN: _("Unknown (no year of birth)"),
    }


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class DayCount:
    """The people present at one workshop on one day."""

    day: datetime.date
    workshop: str
    count: int


@dataclass
class Line:
    key: str
    label: str
    count: int

    def __post_init__(self) -> None:
        # Translated now, in the language of the cache key: a lazy label costs
        # milliseconds to unpickle on every cached read.
        self.label = str(self.label)


@dataclass
class Share:
    """The share of women or of youth, over the known values and over everyone."""

    label: str
    count: int
    known: int
    total: int
    target: int | None = None
    # The workshops of the set have different targets.
    mixed: bool = False

    def __post_init__(self) -> None:
        self.label = str(self.label)

    @property
    def percent_of_known(self) -> Decimal | None:
        return percent(self.count, self.known)

    @property
    def percent_of_all(self) -> Decimal | None:
        return percent(self.count, self.total)

    @property
    def target_met(self) -> bool | None:
        if self.mixed or self.target is None or self.percent_of_known is None:
            return None
        return self.percent_of_known >= self.target


@dataclass
class Figures:
    youth_max_age: int
    workshops_held: int
    participants: int
    attendances: int
    person_days: int
    organisations: int
    per_day: list[DayCount]
    by_sex: list[Line]
    by_age: list[Line]
    sex_by_age: list[tuple[str, list[int]]]
    by_role: list[Line]
    by_category: list[Line]
    by_region: list[Line]
    women: Share
    youth: Share
    rows: list[dict] = field(default_factory=list)
    project: Project | None = None

    @property
    def shares(self) -> list[Share]:
        return [self.women, self.youth]

    @property
    def max_days(self) -> int:
        return max((row["days"] for row in self.rows), default=0)

    def summary(self) -> list[tuple[str, str, object]]:
        """Every figure as (section, label, value): what the exports' summary carries."""
        lines: list[tuple[str, str, object]] = [
            (_("Totals"), _("Workshops held"), self.workshops_held),
            (_("Totals"), _("Unique participants"), self.participants),
            (_("Totals"), _("Attendances"), self.attendances),
            (_("Totals"), _("Person-days of presence"), self.person_days),
            (_("Totals"), _("Unique organisations"), self.organisations),
        ]
        for share in (self.women, self.youth):
            section = share.label
            lines += [
                (section, _("Number"), share.count),
                (section, _("Known values"), share.known),
                (section, _("Share of known values (%)"), share.percent_of_known),
                (section, _("Share of all participants (%)"), share.percent_of_all),
            ]
            if share.mixed:
                lines.append((section, _("Project target (%)"), str(_("mixed"))))
            elif share.target is not None:
                lines += [
                    (section, _("Project target (%)"), share.target),
                    (section, _("Target met"), str(_("yes") if share.target_met else _("no"))),
                ]
        for section, breakdown in (
            (_("By sex"), self.by_sex),
            (_("By age group"), self.by_age),
            (_("By role (attendances)"), self.by_role),
            (_("By kind of organisation"), self.by_category),
            (_("By region"), self.by_region),
        ):
            lines += [(section, line.label, line.count) for line in breakdown]
        age_labels = [line.label for line in self.by_age]
        for sex_label, counts in self.sex_by_age:
            lines += [
                (_("Sex by age group"), f"{sex_label} · {age_label}", count)
                for age_label, count in zip(age_labels, counts, strict=True)
            ]
        lines += [
            (_("Presences per day"), f"{line.day.isoformat()} · {line.workshop}", line.count)
            for line in self.per_day
        ]
        return lines


def attendances_of(workshops) -> Attendance:
    return Attendance.objects.filter(workshop__in=workshops.values("pk"))


def people_counts(workshops, max_age: int) -> dict[str, int]:
    """One query over the people who attended: everything counted per person.

    The inner query makes one row per person (grouped attendances, with the
    year of their first workshop); the outer one counts those rows. A
    correlated subquery per person measured 90 s at 100,000 attendances."""
    people = (
        attendances_of(workshops)
        .values(
            "person",
            sex=F("person__sex"),
            birth_year=F("person__birth_year"),
            age_group=F("person__age_group"),
            region=F("person__region"),
            organisation=F("person__organisation"),
            category=category_expression("person__organisation__"),
        )
        .annotate(
            age=ExpressionWrapper(
                Min(ExtractYear("workshop__start_date")) - F("person__birth_year"),
                output_field=IntegerField(),
            ),
            stored_youth=Count("pk", filter=Q(age_group_at_event=YOUTH)),
            stored_older=Count("pk", filter=Q(age_group_at_event=OLDER)),
        )
        .order_by()
    )
    # Without a year of birth: the group typed on a sheet, or kept when it was erased.
    no_year = Q(birth_year__isnull=True)
    ages = {
        YOUTH: Q(age__lte=max_age)
        | (no_year & (Q(age_group=AgeGroup.YOUTH) | Q(stored_youth__gt=0))),
        OLDER: Q(age__gt=max_age)
        | (
            no_year
            & Q(stored_youth=0)
            & ~Q(age_group=AgeGroup.YOUTH)
            & (Q(age_group=AgeGroup.OLDER) | Q(stored_older__gt=0))
        ),
        UNKNOWN: no_year & Q(age_group=AgeGroup.UNKNOWN, stored_youth=0, stored_older=0),
    }
    counts = {
        "participants": Count("person"),
        "organisations": Count("organisation", distinct=True),
    }
    for sex in Sex.values:
        counts[f"sex:{sex}"] = Count("person", filter=Q(sex=sex))
        for group, condition in ages.items():
            counts[f"sex:{sex}:{group}"] = Count("person", filter=Q(sex=sex) & condition)
    for group, condition in ages.items():
        counts[f"age:{group}"] = Count("person", filter=condition)
    for key, _label in CATEGORIES:
        counts[f"category:{key}"] = Count("person", filter=Q(category=key))
    for region in [*Region.values, ""]:
        counts[f"region:{region}"] = Count("person", filter=Q(region=region))
    return people.aggregate(**counts)


def role_counts(workshops) -> dict[str, int]:
    counts = {"attendances": Count("pk")}
    counts |= {f"role:{role}": Count("pk", filter=Q(role=role)) for role in AttendanceRole.values}
    return attendances_of(workshops).aggregate(**counts)


def presences_per_workshop_day(workshops) -> list[tuple[int, datetime.date, int]]:
    """(workshop, day, people present): a few rows per workshop, however many attend.

    Per-workshop person-days come from here too: counted inside the workshop
    query, a correlated count re-ran for every attendance row (measured: minutes
    at 100,000 attendances)."""
    return list(
        Presence.objects.filter(attendance__workshop__in=workshops.values("pk"))
        .values_list("attendance__workshop", "day")
        .annotate(count=Count("pk"))
        .order_by("day", "attendance__workshop")
    )


def workshop_rows(workshops, max_age: int) -> list[dict]:
    """One row per workshop, each counted by the database."""
    person = "attendances__person__"
    stored = "attendances__age_group_at_event"
    youngest_older = ExtractYear("start_date") - max_age

    def by_group(group: str, comparison: str) -> Q:
        return (
            Q(**{f"{person}birth_year__{comparison}": youngest_older})
            | Q(**{person + "birth_year__isnull": True, person + "age_group": group})
            | Q(**{stored: group})
        )

    return list(
        Workshop.objects.filter(pk__in=workshops.values("pk"))
        .annotate(
            participants=Count("attendances"),
            women=Count("attendances", filter=Q(**{person + "sex": Sex.FEMALE})),
            men=Count("attendances", filter=Q(**{person + "sex": Sex.MALE})),
            unknown_sex=Count("attendances", filter=Q(**{person + "sex": Sex.UNKNOWN})),
            youth=Count("attendances", filter=by_group(AgeGroup.YOUTH, "gte")),
            older=Count("attendances", filter=by_group(AgeGroup.OLDER, "lt")),
            unknown_age=Count(
                "attendances",
                filter=Q(
                    **{
                        person + "birth_year__isnull": True,
                        person + "age_group": AgeGroup.UNKNOWN,
                        stored: AgeGroup.UNKNOWN,
                    }
                ),
            ),
            organisations=Count(person + "organisation", distinct=True),
        )
        .order_by("start_date", "pk")
        .values(
            "pk",
            "title",
            "kind",
            "start_date",
            "end_date",
            "region",
            "status",
            "participants",
            "women",
            "men",
            "unknown_sex",
            "youth",
            "older",
            "unknown_age",
            "organisations",
            "project__women_target_percent",
            "project__youth_target_percent",
        )
    )


def build_figures(workshops, *, project: Project | None = None) -> Figures:
    """The report of a set of workshops (a queryset), in four queries."""
    max_age = youth_max_age()
    people = people_counts(workshops, max_age)
    roles = role_counts(workshops)
    presences = presences_per_workshop_day(workshops)
    rows = workshop_rows(workshops, max_age)
    titles = {row["pk"]: row["title"] for row in rows}
    per_day = [DayCount(day, titles.get(workshop, ""), count) for workshop, day, count in presences]
    per_workshop: dict[int, int] = {}
    for workshop, _day, count in presences:
        per_workshop[workshop] = per_workshop.get(workshop, 0) + count
    for row in rows:
        row["days"] = (row["end_date"] - row["start_date"]).days + 1
        row["person_days"] = per_workshop.get(row["pk"], 0)
    sex_labels = dict(Sex.choices)
    age_labels = age_group_labels(max_age)
    region_labels = dict(Region.choices)
    by_region = [
        Line(region, region_labels[region], people[f"region:{region}"])
        for region in Region.values
        if people[f"region:{region}"]
    ]
    if people["region:"]:
        by_region.append(Line("", _("Unknown"), people["region:"]))
    women, men = people[f"sex:{Sex.FEMALE}"], people[f"sex:{Sex.MALE}"]
    youth, older = people[f"age:{YOUTH}"], people[f"age:{OLDER}"]
    return Figures(
        youth_max_age=max_age,
        workshops_held=sum(1 for row in rows if row["status"] == WorkshopStatus.HELD),
        participants=people["participants"],
        attendances=roles["attendances"],
        person_days=sum(per_workshop.values()),
        organisations=people["organisations"],
        per_day=per_day,
        by_sex=[Line(sex, sex_labels[sex], people[f"sex:{sex}"]) for sex in Sex.values],
        by_age=[Line(group, age_labels[group], people[f"age:{group}"]) for group in age_labels],
        sex_by_age=[
            (str(sex_labels[sex]), [people[f"sex:{sex}:{group}"] for group in age_labels])
            for sex in Sex.values
        ],
        by_role=[
            Line(role, label, roles[f"role:{role}"]) for role, label in AttendanceRole.choices
        ],
        by_category=[Line(key, label, people[f"category:{key}"]) for key, label in CATEGORIES],
        by_region=by_region,
        women=Share(
            _("Share of women"),
            women,
            women + men,
            people["participants"],
            *target_of(rows, project, "women_target_percent"),
        ),
        youth=Share(
            _("Share of youth"),
            youth,
            youth + older,
            people["participants"],
            *target_of(rows, project, "youth_target_percent"),
        ),
        rows=rows,
        project=project,
    )


def target_of(rows: list[dict], project: Project | None, name: str) -> tuple[int | None, bool]:
    """(target, mixed): the chosen project's, else the one all the workshops share."""
    if project is not None:
        return getattr(project, name), False
    targets = {row[f"project__{name}"] for row in rows}
    if len(targets) > 1:
        return None, True
    return (targets.pop() if targets else None), False


def sign_in_rows(workshop: Workshop, max_age: int, *, limit: int) -> list[tuple]:
    """(attendance, age group, present on each day): what the page's list shows,
    the first ``limit`` people by name."""
    labels = age_group_labels(max_age)
    rows = []
    for attendance in workshop.attendances.for_list().order_by("person__full_name", "pk")[:limit]:
        youth = attendance.person.is_youth_on(workshop.start_date, max_age)
        if youth is None:
            group = age_group_of(None, max_age, attendance.age_group_at_event)
        else:
            group = YOUTH if youth else OLDER
        present = {presence.day for presence in attendance.presences_kept}
        rows.append(
            (
                attendance,
                labels[group],
                [day in present for day in workshop.days],
            )
        )
    return rows
