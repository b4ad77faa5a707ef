"""How a workbook is read: its tabs (each a day, all days, no day, or not read), the
tables in each tab (a header row, the title above it, the role it names), what each
column holds, and every row either a person's or skipped with its reason.

The reading is first guessed, then corrected by a `Mapping` the secretariat
confirms; a header met before is read as it was confirmed then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from common.text import match_key
from workshops.importing import headers
from workshops.importing.book import MAX_ROWS, SheetError, Tab, read_tabs
from workshops.importing.mapping import NOT_READ, Mapping
from workshops.models import Workshop

# Why a row is not a person.
SKIP_ABOVE = "above"
SKIP_TITLE = "title"
SKIP_HEADER = "header"
SKIP_TOTAL = "total"
SKIP_NOTE = "note"
SKIP_EXCLUDED = "excluded"
TOTAL_WORDS = ("total", "soustotal", "ensemble", "totaux")
NOTE_STARTS = ("nb", "note", "fait", "source", "signe", "arrete", "lu", "visa", "cachet")
LINE_SPAN = 100_000  # a row's line id: its tab's index * LINE_SPAN + its number in the tab


def skip_reasons() -> dict[str, str]:
    return {
        SKIP_ABOVE: _("Text above the first table."),
        SKIP_TITLE: _("Title of the table below."),
        SKIP_HEADER: _("Header row of a table."),
        SKIP_TOTAL: _("A total, not a person."),
        SKIP_NOTE: _("A note below the table."),
        SKIP_EXCLUDED: _("Left out by hand."),
    }


@dataclass
class Column:
    index: int
    header: str
    field: str  # "" when not used, "day:<ISO date>" for a day's presence
    guessed: str
    samples: list[str] = field(default_factory=list)

    @property
    def day(self) -> datetime.date | None:
        if self.field.startswith("day:"):
            return datetime.date.fromisoformat(self.field[4:])
        return None


@dataclass
class Table:
    key: str  # "<tab>:<header row>"
    tab: int
    header_row: int
    header_key: str
    title: str
    role: str
    guessed_role: str
    columns: list[Column]
    remembered: bool = False

    # Read once the mapping is applied, then for every row.
    @cached_property
    def fields(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for column in self.columns:
            if column.field and not column.day:
                found.setdefault(column.field, column.index)
        return found

    @cached_property
    def days(self) -> dict[int, datetime.date]:
        return {column.index: column.day for column in self.columns if column.day}

    @property
    def unused(self) -> list[Column]:
        return [column for column in self.columns if not column.field]

    @property
    def unused_with_values(self) -> list[Column]:
        """Columns not read that hold something: worth a look before confirming."""
        return [column for column in self.unused if column.samples]


@dataclass
class TabReading:
    index: int
    name: str
    rows: int  # rows with something in them
    day: str  # an ISO date, ALL_DAYS, "" (no day) or NOT_READ
    guessed_day: str
    has_table: bool

    @property
    def read(self) -> bool:
        return self.has_table and self.day != NOT_READ

    @property
    def date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.day) if self.day[:1].isdigit() else None


@dataclass
class Line:
    id: int
    tab: int
    number: int  # in its tab, from 1
    cells: list
    table: Table | None = None
    skip: str = ""  # why it is not a person, or ""
    guessed_skip: str = ""


@dataclass
class Sheet:
    tabs: list[TabReading]
    tables: list[Table]
    lines: list[Line]  # every line of every read tab with something in it
    blank: int = 0  # empty lines within read tables
    mapping: Mapping = field(default_factory=Mapping)

    @property
    def tab_names(self) -> dict[int, str]:
        return {tab.index: tab.name for tab in self.tabs}

    @property
    def multi_tab(self) -> bool:
        return len(self.tabs) > 1

    def warnings(self) -> list[str]:
        """Unused columns that seem to hold sex, age or presence, and have values."""
        found = []
        labels = {"sex": _("sex"), "age": _("age"), "presence": _("presence")}
        for table in self.tables:
            if not self.tabs[table.tab].read:
                continue
            for column in table.unused:
                what = headers.looks_like(column.header)
                if what and column.samples:
                    found.append(
                        _("Column “%(header)s” looks like %(what)s but is not used.")
                        % {"header": column.header, "what": labels[what]}
                    )
        return found


def _blank(row: list) -> bool:
    return all(cell is None or headers.text_of(cell) == "" for cell in row)


def _filled(row: list) -> list:
    return [cell for cell in row if cell is not None and headers.text_of(cell) != ""]


def _number_only(row: list, table: Table) -> bool:
    """A row numbered in advance and left empty."""
    number = table.fields.get("number")
    if number is None or number >= len(row) or not headers.text_of(row[number]).isdigit():
        return False
    return _blank([c for i, c in enumerate(row) if i != number])


def _is_total(row: list, table: Table) -> bool:
    name = table.fields.get("full_name", table.fields.get("last_name"))
    filled = _filled(row)
    cells = filled[:1] + ([row[name]] if name is not None and name < len(row) else [])
    for cell in cells:
        if isinstance(cell, str) and cell.lstrip()[:1].lower() in ("t", "s", "e"):
            key = match_key(cell)
            if any(key.startswith(word) for word in TOTAL_WORDS):
                return True
    return False


def _is_note(row: list) -> bool:
    filled = _filled(row)
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    text = headers.text_of(filled[0])
    first_word = match_key(text.split()[0]) if text.split() else ""
    return len(text.split()) > 5 or ":" in text or first_word in NOTE_STARTS


def _guess_columns(row: list, workshop: Workshop, width: int) -> list[Column]:
    fields, days = headers.header_of(row, workshop)
    columns = []
    for index in range(width):
        cell = row[index] if index < len(row) else None
        if index in fields:
            guessed = fields[index]
        elif index in days:
            guessed = f"day:{days[index].isoformat()}"
        else:
            guessed = ""
        columns.append(Column(index, headers.text_of(cell), guessed, guessed))
    return columns


def _tables_of_tab(tab_index: int, tab: Tab, workshop: Workshop) -> list[Table]:
    tables = []
    width = max((len(row) for row in tab.cells), default=0)
    for row_index, row in enumerate(tab.cells):
        fields, days = headers.header_of(row, workshop)
        if not fields:
            continue
        if tables and 2 * (len(fields) + len(days)) < len(_filled(row)):
            # Below a table, a row of people that holds a header word or two (a role
            # « Participant », an organisation « OSC ») is not a further table's header.
            continue
        title_rows = []
        above = row_index - 1
        while above >= 0 and (_blank(tab.cells[above]) or len(_filled(tab.cells[above])) == 1):
            if not _blank(tab.cells[above]):
                title_rows.insert(0, headers.text_of(_filled(tab.cells[above])[0]))
            if tables and above <= tables[-1].header_row:
                break
            above -= 1
        title = " · ".join(title_rows)
        # The line right above the header names the table's role, if any does.
        role = headers.role_of_title(title_rows[-1]) if title_rows else ""
        tables.append(
            Table(
                key=f"{tab_index}:{row_index}",
                tab=tab_index,
                header_row=row_index,
                header_key=headers.header_key(row),
                title=title,
                role=role,
                guessed_role=role,
                columns=_guess_columns(row, workshop, width),
            )
        )
    return tables


def _apply_mapping(table: Table, mapping: Mapping, recalled: dict) -> None:
    if table.header_key in recalled:
        columns, role = recalled[table.header_key]
        for column in table.columns:
            if str(column.index) in columns:
                column.field = columns[str(column.index)]
        table.role = role or table.role
        table.remembered = True
    for index, chosen in mapping.columns.get(table.key, {}).items():
        for column in table.columns:
            if str(column.index) == str(index):
                column.field = chosen
    if table.key in mapping.roles:
        table.role = mapping.roles[table.key]


def _classify(tab_index: int, tab: Tab, tables: list[Table], lines: list[Line]) -> int:
    """Every non-empty row of the tab as a Line; the number of blank rows in tables."""
    blank = 0
    starts = {table.header_row: table for table in tables}
    current: Table | None = None
    title_rows = set()
    for table in tables:
        above = table.header_row - 1
        while above >= 0 and (_blank(tab.cells[above]) or len(_filled(tab.cells[above])) == 1):
            if above in starts:
                break
            title_rows.add(above)
            above -= 1
    for row_index, row in enumerate(tab.cells):
        if row_index in starts:
            current = starts[row_index]
            skip = SKIP_HEADER
        elif _blank(row) or (current is not None and _number_only(row, current)):
            blank += current is not None
            continue
        elif current is None:
            skip = SKIP_ABOVE
        elif row_index in title_rows:
            skip = SKIP_TITLE
        elif _is_total(row, current):
            skip = SKIP_TOTAL
        elif _is_note(row):
            skip = SKIP_NOTE
        else:
            skip = ""
        lines.append(
            Line(tab_index * LINE_SPAN + row_index + 1, tab_index, row_index + 1, row, current,
                 skip, skip)
        )  # fmt: skip
    return blank


def _samples(table: Table, lines: list[Line]) -> None:
    for line in lines:
        if line.table is not table or line.skip:
            continue
        for column in table.columns:
            if len(column.samples) < 3 and column.index < len(line.cells):
                value = headers.text_of(line.cells[column.index])
                if value:
                    column.samples.append(value[:40])


def read_layout(
    tabs: list[Tab],
    workshop: Workshop,
    mapping: Mapping | None = None,
    recall: Callable[[set[str]], dict] | None = None,
) -> Sheet:
    mapping = mapping or Mapping()
    found = [_tables_of_tab(index, tab, workshop) for index, tab in enumerate(tabs)]
    keys = {table.header_key for tables in found for table in tables}
    recalled = recall(keys) if recall and keys else {}
    day_tabs = {index: headers.tab_day(tab, workshop) for index, tab in enumerate(tabs)}
    readings, tables, lines, blank = [], [], [], 0
    for index, tab in enumerate(tabs):
        guessed = day_tabs[index].isoformat() if day_tabs[index] else ""
        reading = TabReading(
            index=index,
            name=tab.name,
            rows=sum(1 for row in tab.cells if not _blank(row)),
            day=mapping.tabs.get(index, guessed),
            guessed_day=guessed,
            has_table=bool(found[index]),
        )
        readings.append(reading)
        for table in found[index]:
            _apply_mapping(table, mapping, recalled)
        tables += found[index]
        if reading.read:
            blank += _classify(index, tab, found[index], lines)
    for line in lines:
        if line.id in mapping.excluded and not line.skip:
            line.skip = SKIP_EXCLUDED
        elif line.id in mapping.included and line.skip != SKIP_HEADER and line.table:
            line.skip = ""
    for table in tables:
        _samples(table, lines)
    if not tables:
        raise SheetError(
            _(
                "No header row found: the sheet needs a column “Nom et prénom” (or “Nom” "
                "and “Prénom”) and at least one other known column, such as “Sexe” or "
                "“Structure”."
            )
        )
    people = sum(1 for line in lines if not line.skip)
    if people > MAX_ROWS:
        raise SheetError(
            _(
                "This sheet has %(count)s rows; at most %(max)s can be imported at once: "
                "split it in several files."
            )
            % {"count": people, "max": MAX_ROWS}
        )
    return Sheet(readings, tables, lines, blank, mapping)


def read_sheet(
    data: bytes,
    filename: str,
    workshop: Workshop,
    mapping: Mapping | None = None,
    recall: Callable[[set[str]], dict] | None = None,
) -> Sheet:
    try:
        return read_layout(read_tabs(data, filename), workshop, mapping, recall)
    except SheetError:
        raise
    except Exception as error:  # whatever the bytes, the person gets a sentence, not a 500
        raise SheetError(
            _("This file cannot be read as a sign-in sheet: save it as XLSX, XLS, ODS or CSV.")
        ) from error
