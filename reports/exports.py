"""The report's exports: XLSX (summary, workshops and list sheets) and CSV, streamed.

The list has one row per attendance and never a phone number or an e-mail
address, whoever asks: donor reporting does not need them. Rows are read with
``values_list().iterator()`` in chunks of 2,000, each with its days present
joined in one text by the database, so memory stays flat however many rows
there are.

A text cell that a spreadsheet would run as a formula (= + - @, or a leading
tab or carriage return) is written as text: prefixed with an apostrophe in CSV,
and stored as a string cell in XLSX.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import xlsxwriter
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.spreadsheets import CHUNK, csv_cell, csv_response
from members.models import Region
from reports.cache import cached_figures
from reports.forms import ReportFilterForm
from reports.permissions import get_report_workshop_for, reportable_workshops
from reports.queries import Figures
from workshops.models import (
    Attendance,
    AttendanceRole,
    Presence,
    Project,
    Sex,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from workshops.rules import (
    CATEGORIES,
    age_group,
    age_group_labels,
    category_expression,
    youth_max_age,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Report:
    """One report as exported: the workshops it counts, its project, its heading,
    the words that name the file, and what the audit log records of its scope.

    Its figures are counted (or read from the cache) only when an export needs
    them: the list starts streaming without them."""

    workshops: QuerySet
    heading: str
    subject: str
    filters: dict[str, str]
    project: Project | None = None
    workshop: Workshop | None = None

    @cached_property
    def figures(self) -> Figures:
        return cached_figures(self.workshops, project=self.project)

    @cached_property
    def rows(self) -> int:
        """The list's rows: one per attendance."""
        return Attendance.objects.filter(workshop__in=self.workshops.values("pk")).count()

    @cached_property
    def max_days(self) -> int:
        spans = self.workshops.values_list("start_date", "end_date")
        return max(((end - start).days + 1 for start, end in spans), default=0)


def set_report(form: ReportFilterForm, scope: QuerySet) -> Report:
    """The report of the held workshops of ``scope`` that match a valid filter."""
    description = form.description()
    return Report(
        workshops=form.apply(scope.held()),
        heading=_("Attendance report: %(filter)s")
        % {"filter": ", ".join(description.values()) or _("all workshops held")},
        subject=form.slug(),
        filters=description,
        project=form.selected_project,
    )


def workshop_report(workshop: Workshop) -> Report:
    return Report(
        workshops=Workshop.objects.filter(pk=workshop.pk),
        heading=_("Attendance report: %(filter)s") % {"filter": workshop.title},
        subject=f"{workshop.title[:40]}-{workshop.start_date.isoformat()}",
        filters={"workshop": str(workshop.pk)},
        project=workshop.project,
        workshop=workshop,
    )


def report_of_job(job) -> Report:
    """A queued export's report, with what its author may read now (404 otherwise)."""
    if job.workshop_id is not None:
        return workshop_report(get_report_workshop_for(job.author, job.workshop_id))
    scope = reportable_workshops(job.author)
    form = ReportFilterForm(QueryDict(job.query) or None, workshops=scope)
    if form.is_bound and not form.is_valid():
        raise ValueError(f"export {job.pk}: the filter is no longer valid")
    return set_report(form, scope)


def file_name(subject: str, extension: str) -> str:
    """acrss-report-<workshop or filter>-<today>.<extension>"""
    today = timezone.localdate().isoformat()
    return f"acrss-report-{slugify(subject)[:60] or 'all'}-{today}.{extension}"


def youth_definition(max_age: int) -> str:
    return _(
        "Youth: %(age)s or younger on the first day of the workshop (age = that year minus "
        "the year of birth). A person counted once across several workshops is aged on the "
        "first of them they attended. Without a year of birth, an age range typed on a "
        "sign-in sheet counts when it falls wholly on one side of the limit (“40+”). "
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


class DaysPresent(Aggregate):
    """An attendance's days present as one text, ISO dates joined by commas (in no
    set order), counted by the database with the row rather than read apart."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
        )


def list_rows(workshops, max_age: int, max_days: int) -> Iterator[list]:
    """One row per attendance, its days present counted with it by the database;
    read in chunks through a server-side cursor, so memory stays flat.

    The labels are translated now, in the request's language: a streamed
    response reads the rows after the view has returned."""
    rows = (
        Attendance.objects.filter(workshop__in=workshops.values("pk"))
        .annotate(
            category=category_expression("person__organisation__"),
            days=Subquery(
                Presence.objects.filter(attendance=OuterRef("pk"))
                .values("attendance")
                .annotate(days=DaysPresent("day"))
                .values("days")
            ),
        )
        .order_by("workshop__start_date", "workshop_id", "person__full_name", "pk")
        .values_list(
            # The key first: the rows are grouped by attendance, homonyms apart.
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
            "days",
        )
    )
    labels = {
        "sex": {key: str(label) for key, label in Sex.choices},
        "age": {key: str(label) for key, label in age_group_labels(max_age).items()},
        "category": {key: str(label) for key, label in CATEGORIES},
        "region": {key: str(label) for key, label in Region.choices} | {"": ""},
        "role": {key: str(label) for key, label in AttendanceRole.choices},
    }
    return _lines(rows.iterator(chunk_size=CHUNK), labels, max_age, max_days)


def _lines(rows, labels: dict, max_age: int, max_days: int) -> Iterator[list]:
    columns_of = {}  # per first day: each day's ISO text -> (its column, the date)
    for row in rows:
        _pk, title, first_day, name, sex, birth_year, typed_group, stored_group = row[:8]
        org, acronym, category, region, role, days = row[8:]
        columns = columns_of.get(first_day)
        if columns is None:
            dates = [first_day + datetime.timedelta(days=n) for n in range(max_days)]
            columns = columns_of[first_day] = {d.isoformat(): (n, d) for n, d in enumerate(dates)}
        present = days.split(",") if days else []
        on_day = [None] * max_days  # the date under "Day n" when present that day
        for day in present:
            column = columns.get(day)
            if column is not None:
                on_day[column[0]] = column[1]
        group = age_group(
            birth_year=birth_year,
            event_year=first_day.year,
            typed_group=typed_group,
            kept_group=stored_group,
            max_age=max_age,
        )
        yield [
            title,
            first_day,
            name,
            labels["sex"][sex],
            labels["age"][group],
            f"{org} ({acronym})" if org and acronym else org or "",
            labels["category"][category],
            labels["region"][region],
            labels["role"][role],
            len(present),
            *on_day,
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
        pgettext("people", "Youth"),
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


def write_xlsx(report: Report, file, progress: Callable[[int], None] | None = None) -> None:
    """The workbook, in XlsxWriter's constant-memory mode: each row goes to disk as
    it comes. Strings are never read as formulas or links: a name starting with
    « = » stays text. ``progress`` hears the number of list rows written, per chunk."""
    figures = report.figures
    book = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
            "tmpdir": tempfile.gettempdir(),
        },
    )
    summary = book.add_worksheet(_("Summary"))
    lines = [
        [report.heading],
        [youth_definition(figures.youth_max_age)],
        [],
        [_("Section"), _("Figure"), _("Value")],
        *summary_lines(figures),
    ]
    for number, line in enumerate(lines):
        summary.write_row(number, 0, line)
    per_workshop = book.add_worksheet(_("Workshops"))
    for number, line in enumerate([workshop_header(), *workshop_lines(figures)]):
        per_workshop.write_row(number, 0, line)
    attendances = book.add_worksheet(_("List"))
    attendances.write_row(0, 0, list_header(figures.max_days))
    for number, line in enumerate(
        list_rows(report.workshops, figures.youth_max_age, figures.max_days), start=1
    ):
        attendances.write_row(number, 0, line)
        if progress is not None and number % CHUNK == 0:
            progress(number)
    book.close()


def xlsx_response(report: Report) -> FileResponse:
    # A zip is finished only at its end: the workbook is written to an anonymous
    # temporary file (deleted on close), then that file is streamed.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(report, file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=file_name(report.subject, "xlsx"),
        content_type=XLSX_TYPE,
    )


# CSV -----------------------------------------------------------------------


def figures_csv_response(report: Report) -> StreamingHttpResponse:
    # Small: converted now, while the request's language still sets the decimal separator.
    figures = report.figures
    lines = [*summary_lines(figures), [], workshop_header(), *workshop_lines(figures)]
    lines = [[csv_cell(value) for value in line] for line in lines]
    header = [_("Section"), _("Figure"), _("Value")]
    return csv_response(header, lines, file_name(report.subject + "-figures", "csv"))


def list_csv_response(report: Report) -> StreamingHttpResponse:
    """The list, streamed from its first rows: it needs none of the report's figures."""
    max_days = report.max_days
    lines = list_rows(report.workshops, youth_max_age(), max_days)
    return csv_response(list_header(max_days), lines, file_name(report.subject + "-list", "csv"))
