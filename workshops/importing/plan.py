"""What importing a read sheet would do, row by row, against the register, and the
totals the workshop's report would then show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.text import person_name_key
from members.models import Organisation, OrganisationKind
from workshops import rules
from workshops.importing.layout import Sheet, skip_reasons
from workshops.importing.mapping import ALL_DAYS
from workshops.importing.organisations import OrganisationMatcher, split_acronym
from workshops.importing.people import changes_of, match_people
from workshops.importing.rows import (
    DUPLICATE,
    MATCHED,
    NEW,
    REFUSED,
    SKIPPED,
    PlannedRow,
    parse_row,
)
from workshops.models import AgeGroup, Person, Sex, Workshop


@dataclass
class NewOrganisation:
    """An organisation the sheet names and the register does not hold."""

    key: str
    name: str
    acronym: str
    lines: list[str]


@dataclass
class OrganisationChoice:
    """What to do with an organisation the register does not hold: use an
    existing one, or create it with this name, acronym and kind."""

    existing: Organisation | None = None
    name: str = ""
    acronym: str = ""
    kind: str = OrganisationKind.UNKNOWN


@dataclass
class Totals:
    people: int = 0
    women: int = 0
    men: int = 0
    unknown_sex: int = 0
    youth: int = 0
    older: int = 0
    unknown_age: int = 0
    organisations: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    per_day: list[tuple[datetime.date, int]] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow]  # every line read with something in it, in the file's order
    empty_rows: int
    day_columns: list[datetime.date]
    new_organisations: list[NewOrganisation] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    sheet: Sheet | None = None

    @property
    def data_rows(self) -> list[PlannedRow]:
        """The rows read as people's, titles, headers, totals and notes aside."""
        return [row for row in self.rows if row.verdict != SKIPPED]

    @property
    def rows_read(self) -> int:
        return len(self.rows) + self.empty_rows

    @property
    def people_rows(self) -> int:
        return sum(1 for row in self.rows if row.is_person)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def proposals(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.proposal is not None]

    def count(self, verdict: str) -> int:
        return sum(1 for row in self.rows if row.verdict == verdict)

    @property
    def new_people(self) -> int:
        return self.count(NEW)

    @property
    def matched_people(self) -> int:
        return self.count(MATCHED)

    @property
    def merged(self) -> int:
        return self.count(DUPLICATE)

    @property
    def refused(self) -> int:
        return self.count(REFUSED)

    @property
    def flagged(self) -> int:
        return sum(len(row.notes) for row in self.rows)

    @property
    def changes(self) -> int:
        return sum(len(row.changes) for row in self.rows)


def _merge_into(first: PlannedRow, row: PlannedRow) -> None:
    """A second row of the same person: its days join the first row's, and what the
    first row left unknown is taken from it; a disagreement is flagged, not settled."""
    if first.verdict == NEW and row.verdict == MATCHED:
        first.verdict, first.person, first.matched_by = MATCHED, row.person, row.matched_by
        first.already_registered, first.proposal = row.already_registered, None
    row.verdict, row.same_as_line, row.proposal = DUPLICATE, first.line, None
    row.same_as_label = first.label
    first.merged_lines.append(row.line)
    first.merged_labels.append(row.label)
    first.days = sorted(set(first.days) | set(row.days))
    for name in ("sex", "birth_year", "age_group", "phone", "email", "position", "region"):
        mine, theirs = getattr(first, name), getattr(row, name)
        unknown = ("", None, Sex.UNKNOWN)
        if mine in unknown and theirs not in unknown:
            setattr(first, name, theirs)
        elif theirs not in unknown and theirs != mine:
            first.notes.append(
                _("Line %(line)s says “%(value)s” for %(field)s: kept “%(kept)s”.")
                % {
                    "line": row.line,
                    "value": theirs,
                    "field": Person._meta.get_field(name).verbose_name,
                    "kept": mine,
                }
            )
    if not first.organisation_name and row.organisation_name:
        first.organisation_name, first.organisation_key = (
            row.organisation_name,
            row.organisation_key,
        )


def _same_person(first: PlannedRow, row: PlannedRow) -> bool:
    """Two rows of the file are one person when both are the same known person, or when
    their names agree and so do their organisations or contacts (or one has none)."""
    if first.person is not None and row.person is not None:
        return first.person.pk == row.person.pk
    if person_name_key(first.full_name) != person_name_key(row.full_name):
        return False
    if (first.phone and first.phone == row.phone) or (first.email and first.email == row.email):
        return True
    return (
        not first.organisation_key
        or not row.organisation_key
        or (first.organisation_key == row.organisation_key)
    )


def _days_of(sheet: Sheet, line, workshop: Workshop, default_day) -> list[datetime.date]:
    tab = sheet.tabs[line.tab]
    if tab.day == ALL_DAYS:
        return list(workshop.days)
    if tab.date is not None:
        return [tab.date]
    if not line.table.days and default_day and not any(t.date for t in sheet.tabs):
        return [default_day]
    return []


def _skipped(line, reasons: dict[str, str]) -> PlannedRow:
    text = " ".join(str(cell) for cell in line.cells if cell not in (None, ""))
    row = PlannedRow(line=line.id, number=line.number, verdict=SKIPPED)
    row.full_name, row.refusal, row.skip = text[:80], reasons[line.skip], line.skip
    return row


def plan_import(
    sheet: Sheet, workshop: Workshop, *, default_day=None, max_age: int | None = None
) -> Plan:
    """Each row's verdict against the register, in a number of queries that does not
    grow with the rows."""
    max_age = rules.youth_max_age() if max_age is None else max_age
    reasons = skip_reasons()
    names = sheet.tab_names
    rows: list[PlannedRow] = []
    for line in sheet.lines:
        if line.skip:
            row = _skipped(line, reasons)
        else:
            days = _days_of(sheet, line, workshop, default_day)
            row = parse_row(line, workshop, days, line.table.role)
        row.tab_name = names[line.tab] if sheet.multi_tab else ""
        rows.append(row)
    valid = [row for row in rows if row.verdict == NEW]

    matcher = OrganisationMatcher()
    for row in valid:
        row.organisation = matcher.find(row.organisation_name)
        row.new_organisation = bool(row.organisation_key) and row.organisation is None

    by_phone, by_email = match_people(valid, workshop, sheet.mapping.same)
    first_rows: dict[str, list[PlannedRow]] = {}
    for row in valid:
        key = person_name_key(row.full_name)
        earlier = next((first for first in first_rows.get(key, []) if _same_person(first, row)),
                       None)  # fmt: skip
        if earlier is None and row.person is not None:
            earlier = next(
                (f for group in first_rows.values() for f in group
                 if f.person is not None and f.person.pk == row.person.pk),
                None,
            )  # fmt: skip
        if earlier is not None:
            _merge_into(earlier, row)
            continue
        first_rows.setdefault(key, []).append(row)
    for row in valid:
        if row.verdict == MATCHED:
            row.changes = changes_of(row, by_phone, by_email)
    labels = rules.age_group_labels(max_age)
    for row in rows:
        if row.counted:
            row.age_group_label = labels[_age_group(row, workshop.start_date, max_age)]
    return Plan(
        rows=rows,
        empty_rows=sheet.blank,
        day_columns=sorted(
            {d for t in sheet.tables if sheet.tabs[t.tab].read for d in t.days.values()}
        ),
        new_organisations=_new_organisations(valid),
        totals=_totals(rows, workshop, max_age),
        sheet=sheet,
    )


def _as_written(row: PlannedRow) -> tuple[str, int | None, str]:
    """Sex, year of birth and age group the register holds after the import, before
    any change is accepted: a known person keeps theirs."""
    if row.verdict == MATCHED:
        return row.person.sex, row.person.birth_year, row.person.age_group
    return row.sex, row.birth_year, row.age_group


def _age_group(row: PlannedRow, day: datetime.date, max_age: int) -> str:
    _sex, birth_year, group = _as_written(row)
    return rules.age_group(
        birth_year=birth_year, event_year=day.year, typed_group=group, max_age=max_age
    )


def _totals(rows: list[PlannedRow], workshop: Workshop, max_age: int) -> Totals:
    totals = Totals()
    per_day = dict.fromkeys(workshop.days, 0)
    organisations = set()
    for row in rows:
        if not row.counted:
            continue
        if row.verdict == MATCHED:
            organisations.add(row.person.organisation_id)
        else:
            organisations.add(row.organisation.pk if row.organisation else row.organisation_key)
        totals.roles[row.role] = totals.roles.get(row.role, 0) + 1
        sex = _as_written(row)[0]
        group = _age_group(row, workshop.start_date, max_age)
        totals.people += 1
        totals.women += sex == Sex.FEMALE
        totals.men += sex == Sex.MALE
        totals.unknown_sex += sex == Sex.UNKNOWN
        totals.youth += group == AgeGroup.YOUTH
        totals.older += group == AgeGroup.OLDER
        totals.unknown_age += group == AgeGroup.UNKNOWN
        for day in row.days:
            if day in per_day:
                per_day[day] += 1
    totals.per_day = list(per_day.items())
    totals.organisations = len(organisations - {None, ""})
    return totals


def _new_organisations(rows: list[PlannedRow]) -> list[NewOrganisation]:
    found: dict[str, NewOrganisation] = {}
    for row in rows:
        if row.new_organisation and row.counted:
            if row.organisation_key not in found:
                name, acronym = split_acronym(row.organisation_name)
                found[row.organisation_key] = NewOrganisation(
                    row.organisation_key, name, acronym, []
                )
            found[row.organisation_key].lines.append(row.label)
    return sorted(found.values(), key=lambda organisation: organisation.key)
