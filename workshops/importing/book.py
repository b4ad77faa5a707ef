"""Any bytes in, tabs of raw cells out: every tab of an XLSX, XLS or ODS workbook, or
the one table of a CSV file in whatever encoding, or a `SheetError` that says why not.

Cells come out as the spreadsheet holds them, with three fixes that every reader
needs: an empty cell is None, a whole number typed as a number is an int (a phone
76123456 or an age 29, never 76123456.0), and a value merged down over several
rows belongs to each row it covers.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils.translation import gettext as _

MAX_ROWS = 10_000
# A workbook whose parts unpack to more than this is refused before it is read.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
FORMATS_HINT = "XLSX, XLS, ODS, CSV"


class SheetError(Exception):
    """The file cannot be read as a sign-in sheet at all; the message says why."""


@dataclass
class Tab:
    name: str
    cells: list[list]


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


def _not_a_sheet() -> SheetError:
    return SheetError(
        _("This file is not a sheet: only XLSX, XLS, ODS and CSV files can be imported.")
    )


def _tabs_from_csv(data: bytes) -> list[Tab]:
    text = _decode(data)
    if "\x00" in text:
        raise _not_a_sheet()
    # Old Macintosh files end lines with a lone carriage return; elsewhere a
    # stray one inside a cell is a typing accident, read as a space.
    text = text.replace("\r\n", "\n")
    text = text.replace("\r", "\n" if "\n" not in text else " ")
    first_lines = "\n".join(text.split("\n", 20)[:20])
    delimiter = max(";,\t", key=first_lines.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(
            _("This CSV file cannot be read (%(reason)s): save it again from the spreadsheet.")
            % {"reason": error}
        ) from error
    return [Tab("CSV", [[_cell(value) for value in row] for row in rows])]


def _cell(value):
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SheetError(_("This file cannot be read as a workbook.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(_("This workbook is too big to import: keep only the sign-in sheets."))


def _fill_merged_down(cells: list[list], ranges) -> None:
    """A cell merged down several rows (the same organisation for a group) belongs to each."""
    for (first_row, first_col), (last_row, _last_col) in ranges or ():
        if first_row >= len(cells) or first_col >= len(cells[first_row]):
            continue
        value = cells[first_row][first_col]
        for row in range(first_row + 1, min(last_row, len(cells) - 1) + 1):
            while len(cells[row]) <= first_col:
                cells[row].append(None)
            cells[row][first_col] = value


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merged_ranges(data: bytes) -> dict[str, list]:
    """Merged ranges of each tab of an ODS workbook, which the reader does not give:
    a cell spanning rows has table:number-rows-spanned in content.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        # Python's expat refuses entity expansion attacks; the size was checked above.
        tree = ElementTree.parse(content)  # noqa: S314
    ranges: dict[str, list] = {}
    for table in tree.iter(f"{ODS_TABLE}table"):
        found = ranges.setdefault(table.get(f"{ODS_TABLE}name", ""), [])
        row_index = 0
        for row in table.iter(f"{ODS_TABLE}table-row"):
            repeat_rows = int(row.get(f"{ODS_TABLE}number-rows-repeated", "1"))
            column = 0
            for cell in row:
                if cell.tag not in (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"):
                    continue
                spanned = int(cell.get(f"{ODS_TABLE}number-rows-spanned", "1"))
                if spanned > 1:
                    found.append(((row_index, column), (row_index + spanned - 1, column)))
                column += int(cell.get(f"{ODS_TABLE}number-columns-repeated", "1"))
                if column > 1000:
                    break
            row_index += min(repeat_rows, MAX_ROWS * 2)
    return ranges


def _tabs_from_workbook(data: bytes, kind: str) -> list[Tab]:
    from python_calamine import CalamineWorkbook

    if kind != "xls":
        _check_unpacked_size(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        ods_ranges = _ods_merged_ranges(data) if kind == "ods" else {}
        tabs = []
        for metadata in book.sheets_metadata:
            if str(metadata.typ).rsplit(".", 1)[-1].lower() != "worksheet":
                continue
            sheet = book.get_sheet_by_name(metadata.name)
            if sheet.height > MAX_ROWS * 3:
                raise SheetError(
                    _(
                        "This sheet has %(count)s rows; at most %(max)s can be imported at "
                        "once: split it in several files."
                    )
                    % {"count": sheet.height, "max": MAX_ROWS}
                )
            cells = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            ranges = ods_ranges.get(metadata.name) if kind == "ods" else sheet.merged_cell_ranges
            _fill_merged_down(cells, ranges)
            tabs.append(Tab(metadata.name, cells))
    except SheetError:
        raise
    except Exception as error:  # the reader raises many kinds for a damaged file
        raise SheetError(_("This file cannot be read as a workbook.")) from error
    return tabs


def _kind_of(data: bytes, filename: str) -> str:
    name = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200] or name.endswith(".ods"):
            return "ods"
        return "xlsx"
    if name.endswith((".xlsx", ".xls", ".ods")):
        # A workbook's name on bytes that are not one: said as such.
        raise SheetError(_("This file cannot be read as a workbook."))
    return "csv"


def read_tabs(data: bytes, filename: str) -> list[Tab]:
    kind = _kind_of(data, filename)
    if kind == "csv":
        if b"\x00" in data[:1024] and not _utf16(data):
            raise _not_a_sheet()
        return _tabs_from_csv(data)
    return _tabs_from_workbook(data, kind)
