"""The figures of an attendance report, read from the summaries the database keeps.

The database's triggers keep every workshop's figures summed on one row, and
each scope's unique people on one row per workshop (workshops/summaries/):
a report of one workshop, or of every workshop a user may read, sums at most
one row per workshop whatever the number of attendees. A filtered set counts
its unique people from the classified attendances of its workshops, in one
query.

Counting rules, stated on the page and in the exports (the age-group and
kind-of-organisation rules themselves are in ``workshops.rules``):
- people are counted once however many of the workshops they attended; their
  age group is the one at the first of these workshops (by first day);
- unknown sex or age stays unknown; shares are given both over the known
  values and over everyone;
- presence per day is counted per workshop and day: two workshops held on the
  same date are two lines;
- a set's target is its project's; without a chosen project, the target its
  workshops share, or "mixed" when they differ;
- a person whose identity was erased keeps the age group of each attendance
  (``age_group_at_event``), so no figure changes;
- roles are counted per attendance (one person may have two roles at two events).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.utils.translation import gettext_lazy as _

from members.models import Region
from workshops import summaries
from workshops.models import (
    AttendanceRole,
    Presence,
    Project,
    Sex,
    Workshop,
    WorkshopDay,
    WorkshopStatus,
    WorkshopSummary,
)
from workshops.models.people import organisation_label
from workshops.models.summaries import AGE_GROUPS
from workshops.rules import CATEGORIES, age_group, age_group_labels, youth_max_age


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


def _labels(max_age: int) -> dict[str, str]:
    by_group = age_group_labels(max_age)
    return {key: by_group[group] for key, group in AGE_GROUPS.items()}


def people_of_set(workshops) -> dict[str, int]:
    """The unique people of any set of workshops, each classified at their first
    workshop of the set, and their organisations: one query over the set's
    classified attendances (workshops_attendancefact)."""
    try:
        set_sql, params = workshops.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return dict.fromkeys([*summaries.person_columns(), "organisations"], 0)
    columns = summaries.person_columns()
    sql = summaries.people_of_set_sql(set_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    values = dict(zip([*columns, "organisations"], row, strict=True))
    return {name: value or 0 for name, value in values.items()}


def people_of_scope(scope: int) -> dict[str, int]:
    """The unique people of a whole scope (0: every workshop held; else a partner's id),
    summed from one row per workshop, and its organisations: one query."""
    columns = [*summaries.person_columns(), "organisations"]
    with connection.cursor() as cursor:
        cursor.execute(summaries.people_of_scope_sql(), [scope, scope])
        row = cursor.fetchone()
    return {name: value or 0 for name, value in zip(columns, row, strict=True)}


# A workshop's row: each of its figures and the summary column it is read from.
ROW_COLUMNS = {
    "participants": "participants",
    "women": "sex_f",
    "men": "sex_m",
    "unknown_sex": "sex_u",
    "youth": "age_youth",
    "older": "age_older",
    "unknown_age": "age_unknown",
    "organisations": "organisations",
}


def workshop_rows(workshops) -> list[dict]:
    """One row per workshop: its own fields and its summary row."""
    rows = list(
        workshops.order_by("start_date", "pk").values(
            "pk",
            "title",
            "kind",
            "start_date",
            "end_date",
            "region",
            "status",
            "project__women_target_percent",
            "project__youth_target_percent",
        )
    )
    # Only what a row and the roles' totals show: a summary row has some fifty columns.
    columns = [
        *ROW_COLUMNS.values(),
        *(summaries.column("role", role) for role in AttendanceRole.values),
    ]
    summed = {
        row["workshop_id"]: row
        for row in WorkshopSummary.objects.filter(workshop_id__in=[r["pk"] for r in rows]).values(
            "workshop_id", *columns
        )
    }
    for row in rows:
        counts = summed.get(row["pk"]) or dict.fromkeys(columns, 0)
        row["counts"] = counts
        row |= {name: counts[column] for name, column in ROW_COLUMNS.items()}
    return rows


def build_figures(
    workshops, *, project: Project | None = None, scope: int | None = None
) -> Figures:
    """The report of a set of workshops (a queryset), in four small queries.
    ``scope`` says the set is a whole scope (every workshop held that a user may
    read), whose unique people are kept summed."""
    return with_presences(count_people(workshops, project=project, scope=scope))


def count_people(workshops, *, project: Project | None = None, scope: int | None = None) -> Figures:
    """Every figure of the set but its presences (``with_presences`` adds them):
    what a day of check-ins leaves as it is."""
    max_age = youth_max_age()
    rows = workshop_rows(workshops)
    ids = [row["pk"] for row in rows]
    if scope is not None:
        people = people_of_scope(scope)
    else:
        people = people_of_set(Workshop.objects.filter(pk__in=ids)) if ids else {}
    people = {name: people.get(name, 0) for name in [*summaries.person_columns(), "organisations"]}
    roles = {
        role: sum(row["counts"][summaries.column("role", role)] for row in rows)
        for role in AttendanceRole.values
    }
    for row in rows:
        row["days"] = (row["end_date"] - row["start_date"]).days + 1
        del row["counts"]
    sex_labels = dict(Sex.choices)
    age_labels = _labels(max_age)
    region_labels = dict(Region.choices)
    by_region = [
        Line(region, region_labels[region], people[summaries.column("region", region)])
        for region in Region.values
        if people[summaries.column("region", region)]
    ]
    if people["region_unknown"]:
        by_region.append(Line("", _("Unknown"), people["region_unknown"]))
    women, men = people["sex_f"], people["sex_m"]
    youth, older = people["age_youth"], people["age_older"]
    participants = people["participants"]
    return Figures(
        youth_max_age=max_age,
        workshops_held=sum(1 for row in rows if row["status"] == WorkshopStatus.HELD),
        participants=participants,
        attendances=sum(roles.values()),
        person_days=0,
        organisations=people["organisations"],
        per_day=[],
        by_sex=[
            Line(sex, sex_labels[sex], people[summaries.column("sex", sex)]) for sex in Sex.values
        ],
        by_age=[Line(key, age_labels[key], people[f"age_{key}"]) for key in AGE_GROUPS],
        sex_by_age=[
            (str(sex_labels[sex]), [people[f"sex_{sex.lower()}_{key}"] for key in AGE_GROUPS])
            for sex in Sex.values
        ],
        by_role=[Line(role, label, roles[role]) for role, label in AttendanceRole.choices],
        by_category=[
            Line(key, label, people[summaries.column("category", key)]) for key, label in CATEGORIES
        ],
        by_region=by_region,
        women=Share(
            _("Share of women"),
            women,
            women + men,
            participants,
            *target_of(rows, project, "women_target_percent"),
        ),
        youth=Share(
            _("Share of youth"),
            youth,
            youth + older,
            participants,
            *target_of(rows, project, "youth_target_percent"),
        ),
        rows=rows,
        project=project,
    )


def with_presences(figures: Figures) -> Figures:
    """The figures with their presences, counted now from the kept days (one
    query): per workshop and day, per workshop, and in all."""
    titles = {row["pk"]: row["title"] for row in figures.rows}
    days = list(
        WorkshopDay.objects.filter(workshop_id__in=list(titles), present__gt=0)
        .order_by("day", "workshop_id")
        .values_list("workshop_id", "day", "present")
    )
    per_workshop: dict[int, int] = {}
    for workshop, _day, count in days:
        per_workshop[workshop] = per_workshop.get(workshop, 0) + count
    return dataclasses.replace(
        figures,
        person_days=sum(per_workshop.values()),
        per_day=[DayCount(day, titles[workshop], count) for workshop, day, count in days],
        rows=[{**row, "person_days": per_workshop.get(row["pk"], 0)} for row in figures.rows],
    )


def target_of(rows: list[dict], project: Project | None, name: str) -> tuple[int | None, bool]:
    """(target, mixed): the chosen project's, else the one all the workshops share."""
    if project is not None:
        return getattr(project, name), False
    targets = {row[f"project__{name}"] for row in rows}
    if len(targets) > 1:
        return None, True
    return (targets.pop() if targets else None), False


@dataclass
class SignInRow:
    """One line of a workshop's sign-in list, as the report shows it."""

    attendance_id: int
    name: str
    sex: str
    age_group: str
    organisation: str
    role: str
    # Present or not on each of the workshop's days (``with_days_present``).
    present: list[bool] = field(default_factory=list)


def sign_in_rows(workshop: Workshop, max_age: int, *, limit: int) -> list[SignInRow]:
    """The first ``limit`` people of the workshop by name, with their days present."""
    return with_days_present(sign_in_people(workshop, max_age, limit=limit), workshop)


def sign_in_people(workshop: Workshop, max_age: int, *, limit: int) -> list[SignInRow]:
    """The first ``limit`` people of the workshop by name, as the list shows them but
    for their presences: one query of plain values (no model is built per row)."""
    labels = age_group_labels(max_age)
    sexes, roles = dict(Sex.choices), dict(AttendanceRole.choices)
    lines = workshop.attendances.order_by("person__full_name", "pk").values_list(
        "pk",
        "person__full_name",
        "person__sex",
        "person__birth_year",
        "person__age_group",
        "age_group_at_event",
        "person__organisation__acronym",
        "person__organisation__name",
        "role",
    )[:limit]
    rows = []
    for pk, name, sex, birth_year, typed, kept, acronym, organisation, role in lines:
        group = age_group(
            birth_year=birth_year,
            event_year=workshop.start_date.year,
            typed_group=typed,
            kept_group=kept,
            max_age=max_age,
        )
        rows.append(
            SignInRow(
                attendance_id=pk,
                name=name,
                sex=str(sexes.get(sex, sex)),
                age_group=str(labels[group]),
                organisation=organisation_label(acronym, organisation),
                role=str(roles.get(role, role)),
            )
        )
    return rows


def with_days_present(rows: list[SignInRow], workshop: Workshop) -> list[SignInRow]:
    """The rows with each person's days present, read now (one query)."""
    present: dict[int, set[datetime.date]] = {}
    presences = Presence.objects.filter(attendance_id__in=[row.attendance_id for row in rows])
    for attendance, day in presences.values_list("attendance_id", "day"):
        present.setdefault(attendance, set()).add(day)
    days = workshop.days
    return [
        dataclasses.replace(
            row, present=[day in present.get(row.attendance_id, ()) for day in days]
        )
        for row in rows
    ]
