"""Read a typed sign-in sheet (XLSX or CSV) and say what importing it would do.

Nothing here writes: `read_sheet` turns a file into rows of raw cells,
`plan_import` matches each row against the register and returns a verdict per
row. `services.import_attendance` writes a plan.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from common.phones import normalise_phone
from common.text import match_key, person_name_key
from members.models import Organisation, Region
from workshops import normalise
from workshops.models import AttendanceRole, Person, Sex, Workshop

HEADER_SEARCH_ROWS = 20
MAX_ROWS = 2000

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
    "age": {"age", "agean", "ageans", "ageenannees"},
    "birth": {"anneedenaissance", "birthyear", "datedenaissance", "naissance", "dateofbirth"},
    "region": {"region", "regiondorigine"},
    "role": {"role", "categorie", "category", "statut"},
}
HEADER_TO_COLUMN = {name: column for column, names in COLUMNS.items() for name in names}
PRESENCE_WORDS = ("signature", "emargement", "presence", "present", "presentjour")
DAY_PATTERN = re.compile(r"^(?:jour|day|j|d)(\d{1,2})$")
DATE_PATTERN = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")
ABSENT_WORDS = {"", "0", "non", "no", "absent", "absente", "a", "n", "false", "faux"}
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
    """The file cannot be read as a sign-in sheet at all."""


@dataclass
class Sheet:
    columns: dict[str, int]  # field -> column index
    days: dict[int, datetime.date]  # column index -> day it records
    rows: list[tuple[int, list]]  # (line number in the file, cells)


def _cells_from_csv(data: bytes) -> list[list]:
    # Excel's "Unicode text" is UTF-16 with a byte-order mark, separated by tabs.
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ()
    for encoding in (*encodings, "utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = max(";,\t", key=sample.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _cells_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SheetError(_("This file cannot be read as an Excel workbook.")) from error
    try:
        sheet = book.worksheets[0]
        return [
            list(row)
            for _i, row in zip(
                range(MAX_ROWS + HEADER_SEARCH_ROWS),
                sheet.iter_rows(values_only=True),
                strict=False,
            )
        ]
    finally:
        book.close()


def read_cells(data: bytes, filename: str) -> list[list]:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _cells_from_xlsx(data)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:1024] and not utf16:
        raise SheetError(_("Only XLSX and CSV files can be imported."))
    return _cells_from_csv(data)


def _day_of_header(cell, workshop: Workshop) -> datetime.date | None:
    """The workshop day a presence column records, or None if it is not one."""
    days = workshop.days
    if isinstance(cell, datetime.datetime):
        cell = cell.date()
    if isinstance(cell, datetime.date):
        return cell if cell in days else None
    text = str(cell or "").strip().lower()
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
            column = HEADER_TO_COLUMN.get(match_key(str(cell or "")))
            if column and column not in columns:
                columns[column] = position
            elif (day := _day_of_header(cell, workshop)) is not None:
                days[position] = day
        has_name = "full_name" in columns or "last_name" in columns
        if has_name and len(columns) + len(days) >= 2:
            rows = [(index + 2 + n, list(r)) for n, r in enumerate(cells[index + 1 :])]
            return Sheet(columns, days, rows[:MAX_ROWS])
    raise SheetError(
        _(
            "No header row found: the sheet needs a column « Nom et prénom » (or « Nom » and "
            "« Prénom ») and at least one other known column."
        )
    )


def read_sheet(data: bytes, filename: str, workshop: Workshop) -> Sheet:
    return find_header(read_cells(data, filename), workshop)


# The verdicts of a row.
NEW = "new"
MATCHED = "matched"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass
class PlannedRow:
    line: int
    full_name: str = ""
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    phone: str = ""
    email: str = ""
    organisation_name: str = ""
    position: str = ""
    region: str = ""
    role: str = AttendanceRole.PARTICIPANT
    days: list[datetime.date] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    verdict: str = NEW
    person: Person | None = None
    matched_by: str = ""
    organisation: Organisation | None = None
    new_organisation: bool = False
    same_as_line: int | None = None
    already_registered: bool = False

    @property
    def sex_label(self) -> str:
        return Sex(self.sex).label


@dataclass
class Plan:
    rows: list[PlannedRow]
    empty_rows: int
    day_columns: list[datetime.date]

    def count(self, verdict: str) -> int:
        return sum(1 for row in self.rows if row.verdict == verdict)

    @property
    def new_people(self) -> int:
        return self.count(NEW)

    @property
    def matched_people(self) -> int:
        return self.count(MATCHED)

    @property
    def refused(self) -> int:
        return self.count(REFUSED)

    @property
    def new_organisations(self) -> list[str]:
        seen: dict[str, str] = {}
        for row in self.rows:
            if row.new_organisation and row.verdict in (NEW, MATCHED):
                seen.setdefault(match_key(row.organisation_name), row.organisation_name)
        return list(seen.values())


def _cell(cells: list, columns: dict[str, int], name: str):
    position = columns.get(name)
    if position is None or position >= len(cells):
        return None
    value = cells[position]
    return value.strip() if isinstance(value, str) else value


def _is_present(value) -> bool:
    if value is True:
        return True
    if value in (None, False):
        return False
    if isinstance(value, int | float):
        return value != 0
    return match_key(str(value)) not in ABSENT_WORDS


def _clean_role(value) -> str:
    key = match_key(str(value or ""))
    if not key:
        return AttendanceRole.PARTICIPANT
    for role, words in ROLE_WORDS.items():
        if key in words:
            return role
    raise ValueError(_("Role « %(value)s » is not understood.") % {"value": value})


def _clean_region(value) -> str:
    key = match_key(str(value or ""))
    if not key:
        return ""
    for region in Region:
        if key in (match_key(region.value), match_key(region.label)) or (
            region == Region.BAMAKO and key in ("bamako", "districtdebamako")
        ):
            return region.value
    raise ValueError(_("Region « %(value)s » is not understood.") % {"value": value})


def parse_row(line: int, cells: list, sheet: Sheet, workshop: Workshop, default_day=None):
    """A row's cleaned values and its problems; None for an empty row."""
    columns = sheet.columns
    useful = [c for i, c in enumerate(cells) if i != columns.get("number")]
    if all(value is None or str(value).strip() == "" for value in useful):
        return None
    row = PlannedRow(line=line)
    name = normalise.clean_name(_cell(cells, columns, "full_name"))
    if not name:
        first, last = _cell(cells, columns, "first_name"), _cell(cells, columns, "last_name")
        name = normalise.clean_name(f"{first or ''} {last or ''}")
    row.full_name = name
    if not name:
        row.errors.append(_("No name."))
    elif len(name) > Person._meta.get_field("full_name").max_length:
        row.errors.append(_("The name is longer than 200 characters."))
    checks = [
        ("sex", lambda: normalise.clean_sex(_cell(cells, columns, "sex"))),
        ("phone", lambda: normalise_phone(_cell(cells, columns, "phone"))),
        ("email", lambda: normalise.clean_email(_cell(cells, columns, "email"))),
        ("role", lambda: _clean_role(_cell(cells, columns, "role"))),
        ("region", lambda: _clean_region(_cell(cells, columns, "region"))),
        (
            "birth_year",
            lambda: normalise.birth_year_from(
                age=_cell(cells, columns, "age"),
                birth=_cell(cells, columns, "birth"),
                on=workshop.start_date,
            ),
        ),
    ]
    for attribute, check in checks:
        try:
            setattr(row, attribute, check())
        except ValueError as error:
            row.errors.append(str(error))
    row.organisation_name = normalise.clean_name(_cell(cells, columns, "organisation"))
    if len(row.organisation_name) > Organisation._meta.get_field("name").max_length:
        row.errors.append(_("The organisation's name is longer than 200 characters."))
    row.position = normalise.clean_name(_cell(cells, columns, "position"))[:120]
    row.days = sorted(
        {day for position, day in sheet.days.items() if _is_present(_value(cells, position))}
    )
    if not sheet.days and default_day:
        row.days = [default_day]
    if row.errors:
        row.verdict = REFUSED
    return row


def _value(cells: list, position: int):
    return cells[position] if position < len(cells) else None


def _identity_keys(row: PlannedRow) -> list[tuple]:
    keys = []
    if row.email:
        keys.append(("email", row.email))
    if row.phone:
        keys.append(("phone", row.phone))
    keys.append(("name", person_name_key(row.full_name), match_key(row.organisation_name)))
    return keys


def plan_import(sheet: Sheet, workshop: Workshop, *, default_day=None) -> Plan:
    """Each row's verdict against the register, in a number of queries that does not
    grow with the rows."""
    rows: list[PlannedRow] = []
    empty = 0
    for line, cells in sheet.rows:
        row = parse_row(line, cells, sheet, workshop, default_day)
        if row is None:
            empty += 1
        else:
            rows.append(row)
    valid = [row for row in rows if row.verdict != REFUSED]

    organisations = _match_organisations({row.organisation_name for row in valid})
    for row in valid:
        key = match_key(row.organisation_name)
        row.organisation = organisations.get(key)
        row.new_organisation = bool(key) and row.organisation is None

    people = _match_people(valid)
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
            row.verdict, row.same_as_line = DUPLICATE, earlier.line
            earlier.days = sorted(set(earlier.days) | set(row.days))
            continue
        for key in keys:
            first_line_of[key] = row
        if person is not None:
            row.verdict, row.person, row.matched_by = MATCHED, person, how
            row.already_registered = person.pk in registered
    return Plan(rows=rows, empty_rows=empty, day_columns=sorted(set(sheet.days.values())))


def _match_organisations(names: set[str]) -> dict[str, Organisation]:
    keys = {match_key(name) for name in names} - {""}
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(Q(name_key__in=keys) | Q(acronym_key__in=keys)):
        for key in (organisation.name_key, organisation.acronym_key):
            if key in keys:
                found.setdefault(key, organisation)
    return found


def _match_people(rows: list[PlannedRow]) -> dict[int, tuple[Person | None, str]]:
    """For each row line: the existing person it names, and how it was found
    (e-mail first, then phone, then name and organisation)."""
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
    return result
