"""Read a typed sign-in sheet (XLSX or CSV) and say what importing it would do.

Nothing here writes: `read_sheet` turns any bytes into rows of raw cells (or a
`SheetError` that says why it cannot), `plan_import` reads each row's values,
matches the row against the register of people and organisations, and
returns what would happen: people added or found, values flagged, changes to
known people (each applied only if the secretariat accepts it), and the totals
the workshop's report would then show. `services.confirm_import` writes a plan.

A row is refused only when it has no name; every other unreadable value is
kept unknown and flagged with its raw text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from acrss.phones import normalise_phone
from members.models import Organisation, OrganisationKind, Region, match_key
from workshops import normalise
from workshops.models import AgeGroup, AttendanceRole, Person, Sex, Workshop

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 10_000
# A workbook whose sheet unpacks to more than this is refused before it is read.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024

# Column names as compared (match_key: no case, accents, spaces or punctuation).
COLUMNS = {
    "number": {"n", "no", "num", "numero", "nordre", "numerodordre"},
    "full_name": {
        "nometprenom",
        "nometprenoms",
        "nomsetprenoms",
        "nomprenom",
        "nomprenoms",
        "prenometnom",
        "prenomsetnom",
        "nomcomplet",
        "name",
        "fullname",
        "participant",
        "participante",
        "nomsprenoms",
        "identite",
    },
    "last_name": {"nom", "lastname", "surname", "familyname", "nomdefamille"},
    "first_name": {"prenom", "prenoms", "firstname", "givenname"},
    "sex": {"sexe", "sex", "genre", "gender", "sexefm", "sexemf", "fm", "mf", "hf", "fh"},
    "organisation": {
        "structure",
        "organisation",
        "organization",
        "organisme",
        "institution",
        "osc",
        "structureorganisation",
        "association",
        "structuredorigine",
        "provenance",
    },
    "position": {"fonction", "poste", "position", "titre", "qualite", "jobtitle", "title"},
    "phone": {
        "telephone",
        "tel",
        "phone",
        "contact",
        "contacts",
        "numerodetelephone",
        "cel",
        "cellulaire",
        "mobile",
        "phonenumber",
        "telephonemobile",
        "tel1",
    },
    "email": {"email", "mail", "courriel", "adresseemail", "emailaddress", "adressemail"},
    "age": {"age", "agean", "ageans", "ageenannees", "tranchedage", "trancheage", "agetranche"},
    "birth": {"anneedenaissance", "birthyear", "datedenaissance", "naissance", "dateofbirth"},
    "region": {"region", "regiondorigine"},
    "role": {"role", "categorie", "category", "statut"},
}
HEADER_TO_COLUMN = {name: column for column, names in COLUMNS.items() for name in names}
PRESENCE_WORDS = ("signature", "emargement", "presence", "present", "presentjour")
DAY_PATTERN = re.compile(r"^(?:jour|day|j|d)(\d{1,2})$")
DATE_PATTERN = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
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


class SheetError(Exception):
    """The file cannot be read as a sign-in sheet at all; the message says why."""


@dataclass
class Sheet:
    columns: dict[str, int]  # field -> column index
    days: dict[int, datetime.date]  # column index -> day it records
    rows: list[tuple[int, list]]  # (line number in the file, cells)


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" is UTF-16 with a byte-order mark, separated by tabs.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Any byte is a Latin-1 character: an unknown encoding still gives text,
    # and a sheet whose header cannot then be found is refused for that.
    return data.decode("latin-1")


def _cells_from_csv(data: bytes) -> list[list]:
    text = _decode(data)
    if "\x00" in text:
        raise SheetError(_("This file is not a sheet: only XLSX and CSV files can be imported."))
    # Old Macintosh files end lines with a lone carriage return; elsewhere a
    # stray one inside a cell is a typing accident, read as a space.
    text = text.replace("\r\n", "\n")
    text = text.replace("\r", "\n" if "\n" not in text else " ")
    first_lines = "\n".join(text.split("\n", 20)[:20])
    delimiter = max(";,\t", key=first_lines.count)
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(
            _("This CSV file cannot be read (%(reason)s): save it again from the spreadsheet.")
            % {"reason": error}
        ) from error


def _cells_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SheetError(_("This file cannot be read as an Excel workbook.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(_("This workbook is too big to import: keep only the sign-in sheet."))
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet.
        book = load_workbook(io.BytesIO(data), data_only=True)
        sheet = book.worksheets[0]
        cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        merged = list(sheet.merged_cells.ranges)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SheetError(_("This file cannot be read as an Excel workbook.")) from error
    # A cell merged down several rows (the same organisation for a group) belongs to each.
    for cell_range in merged:
        if cell_range.min_col != cell_range.max_col:
            continue
        column = cell_range.min_col - 1
        value = cells[cell_range.min_row - 1][column]
        for row in range(cell_range.min_row, min(cell_range.max_row, len(cells))):
            cells[row][column] = value
    return cells


def read_cells(data: bytes, filename: str) -> list[list]:
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _cells_from_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            _("Old Excel files (.xls) cannot be read: save the sheet as XLSX or CSV first.")
        )
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:1024] and not utf16:
        raise SheetError(_("This file is not a sheet: only XLSX and CSV files can be imported."))
    return _cells_from_csv(data)


def _day_of_header(cell, workshop: Workshop) -> datetime.date | None:
    """The workshop day a presence column records, or None if it is not one."""
    days = workshop.days
    if isinstance(cell, datetime.datetime):
        cell = cell.date()
    if isinstance(cell, datetime.date):
        return cell if cell in days else None
    text = str(cell if cell is not None else "").strip().lower()
    key = match_key(text)
    for word in PRESENCE_WORDS:
        key = key.replace(word, "")
    key = key.removeprefix("le")
    if date := DATE_PATTERN.search(text):
        day, month, year = date.groups()
        year = int(year) if year else workshop.start_date.year
        year += 2000 if year < 100 else 0
        try:
            found = datetime.date(year, int(month), int(day))
        except ValueError:
            return None
        return found if found in days else None
    if number := DAY_PATTERN.match(key):
        index = int(number.group(1)) - 1
        return days[index] if 0 <= index < len(days) else None
    if key == "" and match_key(text) and len(days) == 1:
        # A lone "Signature" or "Présence" column on a one-day event.
        return days[0]
    return None


def find_header(cells: list[list], workshop: Workshop) -> Sheet:
    """The first row, among the first few, that names a name column and one other."""
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        days: dict[int, datetime.date] = {}
        for position, cell in enumerate(row):
            column = HEADER_TO_COLUMN.get(match_key(str(cell if cell is not None else "")))
            if column and column not in columns:
                columns[column] = position
            elif (day := _day_of_header(cell, workshop)) is not None:
                days[position] = day
        has_name = "full_name" in columns or "last_name" in columns
        if has_name and len(columns) + len(days) >= 2:
            rows = [
                (index + 2 + n, list(r))
                for n, r in enumerate(cells[index + 1 :])
                if any(c is not None and str(c).strip() for c in r)
            ]
            if len(rows) > MAX_ROWS:
                raise SheetError(
                    _(
                        "This sheet has %(count)s rows; at most %(max)s can be imported at once: "
                        "split it in several files."
                    )
                    % {"count": len(rows), "max": MAX_ROWS}
                )
            return Sheet(columns, days, rows)
    raise SheetError(
        _(
            "No header row found: the sheet needs a column « Nom et prénom » (or « Nom » and "
            "« Prénom ») and at least one other known column, such as « Sexe » or « Structure »."
        )
    )


def read_sheet(data: bytes, filename: str, workshop: Workshop) -> Sheet:
    try:
        return find_header(read_cells(data, filename), workshop)
    except SheetError:
        raise
    except Exception as error:  # whatever the bytes, the person gets a sentence, not a 500
        raise SheetError(
            _("This file cannot be read as a sign-in sheet: save it as XLSX or CSV and try again.")
        ) from error


# The verdicts of a row.
NEW = "new"
MATCHED = "matched"
DUPLICATE = "duplicate"
REFUSED = "refused"

# The fields a known person may see changed by an import, each only if accepted.
CHANGEABLE = (
    "sex",
    "birth_year",
    "age_group",
    "phone",
    "email",
    "organisation",
    "position",
    "region",
)


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
    if not normalise.person_name_key(name):
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
    keys.append(("name", normalise.person_name_key(row.full_name), row.organisation_key))
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


ACRONYM_IN_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$")
# Words left out of an acronym: « Association Malienne des Droits de l'Homme » is AMDH.
MINOR_WORDS = {
    "de", "des", "du", "d", "la", "le", "les", "l", "et", "pour", "en", "au", "aux", "a",
    "sur", "dans", "par", "of", "the", "and", "for", "in", "on", "to",
}  # fmt: skip
ACRONYM_LIKE = re.compile(r"^[^\W_][\w.&-]{1,14}$")


def split_acronym(text: str) -> tuple[str, str]:
    """« Union Nationale des Travailleurs du Mali (UNTM) » → (name, "UNTM"); a lone
    acronym-like word is both."""
    if (match := ACRONYM_IN_BRACKETS.match(text)) and match.group(1):
        return match.group(1), match.group(2)[:30]
    if ACRONYM_LIKE.match(text) and text.upper() == text and any(c.isalpha() for c in text):
        return text, text[:30]
    return text, ""


def initials(name: str) -> str:
    words = re.split(r"[\W_]+", name.casefold())
    return "".join(match_key(word)[:1] for word in words if word and word not in MINOR_WORDS)


class OrganisationMatcher:
    """Finds an organisation of the register as people write it: its name, its
    acronym, « Name (ACRONYM) », or its initials when only one organisation has them;
    case, accents, punctuation and spacing aside. One query, on first use."""

    def __init__(self) -> None:
        self._exact: dict[str, Organisation] | None = None
        self._initials: dict[str, list[Organisation]] = {}

    def _load(self) -> dict[str, Organisation]:
        if self._exact is None:
            self._exact = {}
            loose: dict[str, Organisation] = {}
            for organisation in Organisation.objects.order_by("pk"):
                self._exact[organisation.name_key] = organisation
                if organisation.acronym_key:
                    self._exact[organisation.acronym_key] = organisation
                name, acronym = split_acronym(organisation.name)
                for key in (match_key(name), match_key(acronym)):
                    if key:
                        loose.setdefault(key, organisation)
                self._initials.setdefault(initials(name), []).append(organisation)
            for key, organisation in loose.items():
                self._exact.setdefault(key, organisation)
        return self._exact

    def find(self, text: str) -> Organisation | None:
        key = match_key(text)
        if not key:
            return None
        exact = self._load()
        if key in exact:
            return exact[key]
        name, acronym = split_acronym(text)
        for part in (match_key(name), match_key(acronym)):
            if part and part in exact:
                return exact[part]
        if ACRONYM_LIKE.match(text.strip()):
            candidates = self._initials.get(key, [])
            if len(candidates) == 1:
                return candidates[0]
        return None


def _match_people(rows: list[PlannedRow]):
    """For each row line: the existing person it names and how it was found (e-mail
    first, then phone, then name and organisation); and who holds each phone and e-mail."""
    emails = {row.email for row in rows if row.email}
    phones = {row.phone for row in rows if row.phone}
    names = {normalise.person_name_key(row.full_name) for row in rows}
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
        name_key = normalise.person_name_key(row.full_name)
        if row.email and row.email in by_email:
            result[row.line] = (by_email[row.email], "email")
        elif row.phone and row.phone in by_phone:
            result[row.line] = (by_phone[row.phone], "phone")
        elif not row.new_organisation and (name_key, organisation_id) in by_name:
            result[row.line] = (by_name[(name_key, organisation_id)], "name")
        else:
            result[row.line] = (None, "")
    return result, by_phone, by_email
