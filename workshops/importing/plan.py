"""What importing a read sheet would do, row by row, against the register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from common.phones import normalise_phone
from common.text import match_key, person_name_key
from members.models import Organisation, OrganisationKind, Region
from workshops import normalise
from workshops.importing.organisations import OrganisationMatcher, split_acronym
from workshops.importing.sheets import Sheet
from workshops.models import AgeGroup, AttendanceRole, Person, Sex, Workshop

ROLE_WORDS = {
    AttendanceRole.PARTICIPANT: {"participant", "participante", "participants"},
    AttendanceRole.FACILITATOR: {"facilitateur", "facilitatrice", "facilitator", "moderateur"},
    AttendanceRole.SPEAKER: {
        "intervenant",
        "intervenante",
        "speaker",
        "panelist",
        "panéliste",
        "paneliste",
        "communicateur",
        "communicatrice",
    },
    AttendanceRole.ORGANISER: {"organisateur", "organisatrice", "organiser", "organisation"},
    AttendanceRole.OFFICIAL_GUEST: {
        "inviteofficiel",
        "inviteeofficielle",
        "officialguest",
        "invite",
        "invitee",
        "officiel",
    },
    AttendanceRole.PRESS: {"presse", "press", "journaliste", "media", "medias"},
}


NEW = "new"
MATCHED = "matched"
DUPLICATE = "duplicate"
REFUSED = "refused"


# The fields a known person may see changed by an import, each only if accepted.
@dataclass
class Change:
    """One value of a known person that the sheet would change (old → new)."""

    field: str
    label: str
    old: str
    new: str
    token: str  # the new value as the confirmation form sends it back
    ticked: bool = False


@dataclass
class PlannedRow:
    line: int
    full_name: str = ""
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    age_group: str = AgeGroup.UNKNOWN
    phone: str = ""
    email: str = ""
    organisation_name: str = ""
    position: str = ""
    region: str = ""
    role: str = AttendanceRole.PARTICIPANT
    days: list[datetime.date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values flagged, kept unknown
    refusal: str = ""
    verdict: str = NEW
    person: Person | None = None
    matched_by: str = ""
    organisation: Organisation | None = None
    organisation_key: str = ""
    new_organisation: bool = False
    same_as_line: int | None = None
    merged_lines: list[int] = field(default_factory=list)
    already_registered: bool = False
    changes: list[Change] = field(default_factory=list)
    age_group_label: str = ""

    @property
    def sex_label(self) -> str:
        """The sex the register will hold: a known person's own until a change is accepted."""
        return Sex(self.person.sex if self.verdict == MATCHED else self.sex).label

    @property
    def role_label(self) -> str:
        return AttendanceRole(self.role).label

    @property
    def counted(self) -> bool:
        return self.verdict in (NEW, MATCHED)


@dataclass
class NewOrganisation:
    """An organisation the sheet names and the register does not hold."""

    key: str
    name: str
    acronym: str
    lines: list[int]


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
    per_day: list[tuple[datetime.date, int]] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlannedRow]
    empty_rows: int
    day_columns: list[datetime.date]
    new_organisations: list[NewOrganisation] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)

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


def _cell(cells: list, columns: dict[str, int], name: str):
    position = columns.get(name)
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return value.strip() if isinstance(value, str) else value


def _clean_role(value) -> str:
    key = match_key(str(value if value is not None else ""))
    if not key:
        return AttendanceRole.PARTICIPANT
    for role, words in ROLE_WORDS.items():
        if key in words:
            return role
    raise normalise.Unreadable(
        _("Role « %(value)s » not understood: participant.") % {"value": value}
    )


def _clean_region(value) -> str:
    key = match_key(str(value if value is not None else ""))
    if not key:
        return ""
    for region in Region:
        if key in (match_key(region.value), match_key(region.label)) or (
            region == Region.BAMAKO and key in ("bamako", "districtdebamako")
        ):
            return region.value
    raise normalise.Unreadable(
        _("Region « %(value)s » not understood: unknown.") % {"value": value}
    )


def _clean_phone(value) -> str:
    if isinstance(value, str) and match_key(value) in normalise.UNKNOWN_WORDS:
        return ""
    try:
        return normalise_phone(value)
    except ValueError:
        raise normalise.Unreadable(
            _("Phone « %(value)s » not understood: not recorded.") % {"value": value}
        ) from None


def _fits(row: PlannedRow, text: str, max_length: int, what: str) -> str:
    if len(text) <= max_length:
        return text
    row.notes.append(
        _("%(what)s longer than %(max)s characters: cut.") % {"what": what, "max": max_length}
    )
    return text[:max_length]


def parse_row(line: int, cells: list, sheet: Sheet, workshop: Workshop, default_day=None):
    """A row's values, each unreadable one unknown and flagged; None for an empty row."""
    columns = sheet.columns
    useful = [c for i, c in enumerate(cells) if i != columns.get("number")]
    if all(value is None or str(value).strip() == "" for value in useful):
        return None
    row = PlannedRow(line=line)
    name = normalise.clean_name(_cell(cells, columns, "full_name"))
    if not name:
        first, last = _cell(cells, columns, "first_name"), _cell(cells, columns, "last_name")
        name = normalise.clean_name(f"{first or ''} {last or ''}")
    if not person_name_key(name):
        row.verdict, row.refusal = REFUSED, _("No name.")
        return row
    row.full_name = _fits(row, name, Person._meta.get_field("full_name").max_length, _("Name"))
    readers = [
        ("sex", normalise.clean_sex, "sex"),
        ("phone", _clean_phone, "phone"),
        ("email", normalise.clean_email, "email"),
        ("role", _clean_role, "role"),
        ("region", _clean_region, "region"),
    ]
    for attribute, reader, column in readers:
        try:
            setattr(row, attribute, reader(_cell(cells, columns, column)))
        except normalise.Unreadable as unreadable:
            row.notes.append(str(unreadable))
    age = normalise.read_age(
        age=_cell(cells, columns, "age"),
        birth=_cell(cells, columns, "birth"),
        on=workshop.start_date,
    )
    row.birth_year, row.age_group = age.birth_year, age.age_group
    row.notes += age.notes
    organisation = normalise.clean_name(_cell(cells, columns, "organisation"))
    row.organisation_name = _fits(
        row, organisation, Organisation._meta.get_field("name").max_length, _("Organisation")
    )
    row.organisation_key = match_key(row.organisation_name)
    row.position = _fits(
        row, normalise.clean_name(_cell(cells, columns, "position")), 120, _("Position")
    )
    days = set()
    for position, day in sheet.days.items():
        try:
            if normalise.is_present(_value(cells, position)):
                days.add(day)
        except normalise.Unreadable as unreadable:
            row.notes.append(str(unreadable))
    row.days = sorted(days)
    if not sheet.days and default_day:
        row.days = [default_day]
    return row


def _value(cells: list, position: int):
    value = cells[position] if position < len(cells) else None
    return value.strip() if isinstance(value, str) else value


def _identity_keys(row: PlannedRow) -> list[tuple]:
    keys = []
    if row.email:
        keys.append(("email", row.email))
    if row.phone:
        keys.append(("phone", row.phone))
    keys.append(("name", person_name_key(row.full_name), row.organisation_key))
    return keys


def _merge_into(first: PlannedRow, row: PlannedRow) -> None:
    """A second row of the same person: its days join the first row's, and what the
    first row left unknown is taken from it; a disagreement is flagged, not settled."""
    row.verdict, row.same_as_line = DUPLICATE, first.line
    first.merged_lines.append(row.line)
    first.days = sorted(set(first.days) | set(row.days))
    for name in ("sex", "birth_year", "age_group", "phone", "email", "position", "region"):
        mine, theirs = getattr(first, name), getattr(row, name)
        unknown = ("", None, Sex.UNKNOWN)
        if mine in unknown and theirs not in unknown:
            setattr(first, name, theirs)
        elif theirs not in unknown and theirs != mine:
            first.notes.append(
                _("Line %(line)s says « %(value)s » for %(field)s: kept « %(kept)s ».")
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


def plan_import(
    sheet: Sheet, workshop: Workshop, *, default_day=None, max_age: int | None = None
) -> Plan:
    """Each row's verdict against the register, in a number of queries that does not
    grow with the rows."""
    max_age = settings.ACRSS_YOUTH_MAX_AGE if max_age is None else max_age
    rows: list[PlannedRow] = []
    empty = 0
    for line, cells in sheet.rows:
        row = parse_row(line, cells, sheet, workshop, default_day)
        if row is None:
            empty += 1
        else:
            rows.append(row)
    valid = [row for row in rows if row.verdict != REFUSED]

    matcher = OrganisationMatcher()
    for row in valid:
        row.organisation = matcher.find(row.organisation_name)
        row.new_organisation = bool(row.organisation_key) and row.organisation is None

    people, by_phone, by_email = _match_people(valid)
    registered = set(
        workshop.attendances.filter(
            person__in=[p for p, _how in people.values() if p is not None]
        ).values_list("person_id", flat=True)
    )
    first_line_of: dict[tuple, PlannedRow] = {}
    for row in valid:
        person, how = people[row.line]
        keys = [("person", person.pk)] if person else []
        keys += _identity_keys(row)
        earlier = next((first_line_of[k] for k in keys if k in first_line_of), None)
        if earlier is not None:
            _merge_into(earlier, row)
            continue
        for key in keys:
            first_line_of[key] = row
        if person is not None:
            row.verdict, row.person, row.matched_by = MATCHED, person, how
            row.already_registered = person.pk in registered
    for row in valid:
        if row.verdict == MATCHED:
            row.changes = _changes(row, by_phone, by_email)
    labels = {
        AgeGroup.YOUTH: _("%(age)s or younger") % {"age": max_age},
        AgeGroup.OLDER: _("%(age)s or older") % {"age": max_age + 1},
        AgeGroup.UNKNOWN: _("Unknown"),
    }
    for row in rows:
        if row.counted:
            row.age_group_label = labels[_age_group(row, workshop.start_date, max_age)]
    return Plan(
        rows=rows,
        empty_rows=empty,
        day_columns=sorted(set(sheet.days.values())),
        new_organisations=_new_organisations(valid),
        totals=_totals(rows, workshop, max_age),
    )


def _as_written(row: PlannedRow) -> tuple[str, int | None, str]:
    """Sex, year of birth and age group the register holds after the import, before
    any change is accepted: a known person keeps theirs."""
    if row.verdict == MATCHED:
        return row.person.sex, row.person.birth_year, row.person.age_group
    return row.sex, row.birth_year, row.age_group


def _age_group(row: PlannedRow, day: datetime.date, max_age: int) -> str:
    _sex, birth_year, group = _as_written(row)
    if birth_year is None:
        return group
    return AgeGroup.YOUTH if day.year - birth_year <= max_age else AgeGroup.OLDER


def _totals(rows: list[PlannedRow], workshop: Workshop, max_age: int) -> Totals:
    totals = Totals()
    per_day = dict.fromkeys(workshop.days, 0)
    for row in rows:
        if not row.counted:
            continue
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
            found[row.organisation_key].lines.append(row.line)
    return sorted(found.values(), key=lambda organisation: organisation.key)


def _display(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "sex":
        return str(Sex(value).label)
    if name == "age_group":
        return str(AgeGroup(value).label)
    if name == "region":
        return str(Region(value).label)
    return str(value)


def _changes(row: PlannedRow, by_phone: dict, by_email: dict) -> list[Change]:
    """The values of the row that differ from the known person's: each one shown,
    and applied only if accepted. A phone or e-mail of someone else is flagged instead."""
    person = row.person
    proposed = {
        "sex": row.sex if row.sex != Sex.UNKNOWN else None,
        "birth_year": row.birth_year,
        "age_group": row.age_group
        if row.age_group and row.birth_year is None and person.birth_year is None
        else None,
        "phone": row.phone,
        "email": row.email,
        "position": row.position,
        "region": row.region,
    }
    changes = []
    for name, value in proposed.items():
        if value in (None, "") or value == getattr(person, name):
            continue
        owners = {"phone": by_phone, "email": by_email}.get(name, {})
        if (owner := owners.get(value)) is not None and owner.pk != person.pk:
            row.notes.append(
                _("%(field)s « %(value)s » belongs to %(other)s: not changed.")
                % {
                    "field": Person._meta.get_field(name).verbose_name,
                    "value": value,
                    "other": owner,
                }
            )
            continue
        label = str(Person._meta.get_field(name).verbose_name)
        changes.append(
            Change(
                name,
                label,
                _display(name, getattr(person, name)),
                _display(name, value),
                str(value),
            )
        )
    if row.organisation_key:
        current = person.organisation
        if row.organisation is not None and row.organisation.pk != getattr(current, "pk", None):
            changes.append(
                Change(
                    "organisation",
                    str(Person._meta.get_field("organisation").verbose_name),
                    str(current) if current else "—",
                    str(row.organisation),
                    f"pk:{row.organisation.pk}",
                )
            )
        elif row.organisation is None:
            changes.append(
                Change(
                    "organisation",
                    str(Person._meta.get_field("organisation").verbose_name),
                    str(current) if current else "—",
                    row.organisation_name,
                    f"new:{row.organisation_key}",
                )
            )
    return changes


def _match_people(rows: list[PlannedRow]):
    """For each row line: the existing person it names and how it was found (e-mail
    first, then phone, then name and organisation); and who holds each phone and e-mail."""
    emails = {row.email for row in rows if row.email}
    phones = {row.phone for row in rows if row.phone}
    names = {person_name_key(row.full_name) for row in rows}
    candidates = list(
        Person.objects.filter(Q(email__in=emails) | Q(phone__in=phones) | Q(name_key__in=names))
        .select_related("organisation")
        .order_by("pk")
    )
    by_email, by_phone, by_name = {}, {}, {}
    for person in candidates:
        if person.email:
            by_email.setdefault(person.email.lower(), person)
        if person.phone:
            by_phone.setdefault(person.phone, person)
        by_name.setdefault((person.name_key, person.organisation_id), person)
    result = {}
    for row in rows:
        organisation_id = row.organisation.pk if row.organisation else None
        name_key = person_name_key(row.full_name)
        if row.email and row.email in by_email:
            result[row.line] = (by_email[row.email], "email")
        elif row.phone and row.phone in by_phone:
            result[row.line] = (by_phone[row.phone], "phone")
        elif not row.new_organisation and (name_key, organisation_id) in by_name:
            result[row.line] = (by_name[(name_key, organisation_id)], "name")
        else:
            result[row.line] = (None, "")
    return result, by_phone, by_email
