"""Any bytes in, rows of raw cells out: a typed sheet's header, day columns and rows,
or a `SheetError` whose message says why the file cannot be read."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.text import match_key
from workshops.models import Workshop

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


class SheetError(Exception):
    """The file cannot be read as a sign-in sheet at all; the message says why."""


@dataclass
class Sheet:
    columns: dict[str, int]  # field -> column index
    days: dict[int, datetime.date]  # column index -> day it records
    rows: list[tuple[int, list]]  # (line number in the file, cells)


def _utf16(data: bytes) -> str | None:
    """The UTF-16 flavour of a text, with its byte-order mark (Excel's "Unicode text")
    or without one, where every other byte of Latin text is zero."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:1024]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    if encoding := _utf16(data):
        try:
            return data.decode(encoding)
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
    if b"\x00" in data[:1024] and not _utf16(data):
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
