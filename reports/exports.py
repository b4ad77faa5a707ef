"""The report's exports: XLSX (summary, workshops and list sheets) and CSV, streamed.

The list has one row per attendance and never a phone number or an e-mail
address, whoever asks: donor reporting does not need them. Rows are read with
``values_list().iterator()`` in chunks of 2,000, each chunk's days present in
one more query, so memory stays flat however many rows there are.

A text cell that a spreadsheet would run as a formula (= + - @, or a leading
tab or carriage return) is written as text: prefixed with an apostrophe in CSV,
and stored as a string cell in XLSX.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from common.spreadsheets import CHUNK, csv_cell, csv_response
from members.models import Region
from reports.queries import (
    CATEGORIES,
    Figures,
    age_group_labels,
    age_group_of,
    attendances_of,
    category_expression,
)
from workshops.models import (
    AttendanceRole,
    Presence,
    Sex,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Report:
    """One report as exported: its figures, the workshops it counts, its heading,
    the words that name the file, and what the audit log records of its scope."""

    figures: Figures
    workshops: Iterable[Workshop]
    heading: str
    subject: str
    filters: dict[str, str]
    workshop: Workshop | None = None


def file_name(subject: str, extension: str) -> str:
    """acrss-report-<workshop or filter>-<today>.<extension>"""
    today = timezone.localdate().isoformat()
    return f"acrss-report-{slugify(subject)[:60] or 'all'}-{today}.{extension}"


def youth_definition(max_age: int) -> str:
    return _(
        "Youth: %(age)s or younger on the first day of the workshop (age = that year minus "
        "the year of birth). A person counted once across several workshops is aged on the "
        "first of them they attended. Without a year of birth, an age range typed on a "
        "sign-in sheet counts when it falls wholly on one side of the limit (« 40+ »). "
        "Unknown sex or age stays unknown; shares are given over the known values and over "
        "all participants."
    ) % {"age": max_age}


def list_header(max_days: int) -> list[str]:
    return [
        _("Workshop"),
        _("First day"),
        _("Name"),
        _("Sex"),
        _("Age group"),
        _("Organisation"),
        _("Kind of organisation"),
        _("Region"),
        _("Role"),
        _("Days present"),
        *[_("Day %(number)s") % {"number": n} for n in range(1, max_days + 1)],
    ]


def list_rows(workshops, max_age: int, max_days: int) -> Iterator[list]:
    """One row per attendance, in chunks: each chunk's days come in one query.

    The labels are translated now, in the request's language: a streamed
    response reads the rows after the view has returned."""
    rows = (
        attendances_of(workshops)
        .annotate(category=category_expression("person__organisation__"))
        .order_by("workshop__start_date", "workshop_id", "person__full_name", "pk")
        .values_list(
            "pk",
            "workshop__title",
            "workshop__start_date",
            "person__full_name",
            "person__sex",
            "person__birth_year",
            "person__age_group",
            "age_group_at_event",
            "person__organisation__name",
            "person__organisation__acronym",
            "category",
            "person__region",
            "role",
        )
    )
    labels = {
        "sex": {key: str(label) for key, label in Sex.choices},
        "age": {key: str(label) for key, label in age_group_labels(max_age).items()},
        "category": {key: str(label) for key, label in CATEGORIES},
        "region": {key: str(label) for key, label in Region.choices} | {"": ""},
        "role": {key: str(label) for key, label in AttendanceRole.choices},
    }
    return _in_chunks(rows, labels, max_age, max_days)


def _in_chunks(rows, labels: dict, max_age: int, max_days: int) -> Iterator[list]:
    batch = []
    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _with_days(batch, labels, max_age, max_days)
            batch = []
    if batch:
        yield from _with_days(batch, labels, max_age, max_days)


def _with_days(batch: list[tuple], labels: dict, max_age: int, max_days: int) -> Iterator[list]:
    days = defaultdict(list)
    presences = Presence.objects.filter(attendance_id__in=[row[0] for row in batch])
    for attendance_id, day in presences.order_by("day").values_list("attendance_id", "day"):
        days[attendance_id].append(day)
    for row in batch:
        pk, title, first_day, name, sex, birth_year, typed_group, stored_group = row[:8]
        org, acronym, category, region, role = row[8:]
        age = None if birth_year is None else first_day.year - birth_year
        present = days[pk]
        by_offset = {(day - first_day).days: day for day in present}
        yield [
            title,
            first_day,
            name,
            labels["sex"][sex],
            labels["age"][age_group_of(age, max_age, typed_group, stored_group)],
            f"{org} ({acronym})" if org and acronym else org or "",
            labels["category"][category],
            labels["region"][region],
            labels["role"][role],
            len(present),
            *[by_offset.get(offset) for offset in range(max_days)],
        ]


def workshop_header() -> list[str]:
    return [
        _("Workshop"),
        _("Kind"),
        _("First day"),
        _("Last day"),
        _("Region"),
        _("Status"),
        _("Participants"),
        _("Women"),
        _("Men"),
        _("Sex unknown"),
        _("Youth"),
        _("Not youth"),
        _("Age unknown"),
        _("Organisations"),
        _("Person-days"),
    ]


def workshop_lines(figures: Figures) -> Iterator[list]:
    kinds, regions = dict(WorkshopKind.choices), dict(Region.choices)
    statuses = dict(WorkshopStatus.choices)
    for row in figures.rows:
        yield [
            row["title"],
            str(kinds[row["kind"]]),
            row["start_date"],
            row["end_date"],
            str(regions.get(row["region"], "")),
            str(statuses[row["status"]]),
            *[
                row[name]
                for name in (
                    "participants",
                    "women",
                    "men",
                    "unknown_sex",
                    "youth",
                    "older",
                    "unknown_age",
                    "organisations",
                    "person_days",
                )
            ],
        ]


def summary_lines(figures: Figures) -> Iterator[list]:
    for section, label, value in figures.summary():
        yield [str(section), str(label), value]


# XLSX ----------------------------------------------------------------------


def _xlsx_row(sheet, values: Iterable) -> list:
    row = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            # openpyxl stores a str starting with "=" as a formula; a typed string cell is text.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def write_xlsx(figures: Figures, heading: str, workshops, file) -> None:
    """The workbook, written in write-only mode: rows go to disk as they come."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append(_xlsx_row(summary, [heading]))
    summary.append([youth_definition(figures.youth_max_age)])
    summary.append([])
    summary.append([_("Section"), _("Figure"), _("Value")])
    for line in summary_lines(figures):
        summary.append(_xlsx_row(summary, line))
    per_workshop = book.create_sheet(_("Workshops"))
    per_workshop.append(workshop_header())
    for line in workshop_lines(figures):
        per_workshop.append(_xlsx_row(per_workshop, line))
    attendances = book.create_sheet(_("List"))
    attendances.append(list_header(figures.max_days))
    for line in list_rows(workshops, figures.youth_max_age, figures.max_days):
        attendances.append(_xlsx_row(attendances, line))
    book.save(file)


def xlsx_response(figures: Figures, heading: str, workshops, subject: str) -> FileResponse:
    # openpyxl must finish the zip before the first byte can go out: it is written
    # to an anonymous temporary file (deleted on close) and that file is streamed.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(figures, heading, workshops, file)
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=file_name(subject, "xlsx"), content_type=XLSX_TYPE
    )


# CSV -----------------------------------------------------------------------


def figures_csv_response(figures: Figures, subject: str) -> StreamingHttpResponse:
    # Small: converted now, while the request's language still sets the decimal separator.
    lines = [*summary_lines(figures), [], workshop_header(), *workshop_lines(figures)]
    lines = [[csv_cell(value) for value in line] for line in lines]
    header = [_("Section"), _("Figure"), _("Value")]
    return csv_response(header, lines, file_name(subject + "-figures", "csv"))


def list_csv_response(figures: Figures, workshops, subject: str) -> StreamingHttpResponse:
    lines = list_rows(workshops, figures.youth_max_age, figures.max_days)
    return csv_response(list_header(figures.max_days), lines, file_name(subject + "-list", "csv"))
