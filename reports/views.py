"""Attendance reports: one workshop, or a filtered set, with its chart and exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reports import exports, services
from reports.chart import chart
from reports.forms import ReportFilterForm
from reports.permissions import get_report_workshop_for, reportable_workshops
from reports.queries import build_figures, sign_in_rows
from workshops.models import Workshop

# The page's budget (30 KB of HTML) holds the chart and table of about this many
# workshops; the totals always cover the whole set, and the exports list every row.
ROWS_SHOWN = 15


@require_safe
def set_report(request: HttpRequest) -> HttpResponse:
    scope = reportable_workshops(request.user)
    form = ReportFilterForm(request.GET or None, workshops=scope)
    figures = build_figures(form.apply(scope.held()), project=form.selected_project)
    context = {
        "form": form,
        "figures": figures,
        "rows": figures.rows[:ROWS_SHOWN],
        "per_day": figures.per_day[:ROWS_SHOWN],
        "chart": chart(figures.rows[:ROWS_SHOWN], figures.youth_max_age),
        "query": request.GET.urlencode(),
        "definition": exports.youth_definition(figures.youth_max_age),
    }
    return render(request, "reports/report.html", context)


@require_safe
def workshop_report(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_report_workshop_for(request.user, pk)
    figures = build_figures(Workshop.objects.filter(pk=workshop.pk), project=workshop.project)
    context = {
        "workshop": workshop,
        "figures": figures,
        "rows": figures.rows,
        "per_day": figures.per_day,
        "chart": chart(figures.rows, figures.youth_max_age),
        "definition": exports.youth_definition(figures.youth_max_age),
        "sign_in": sign_in_rows(workshop, figures.youth_max_age),
        "days": workshop.days,
    }
    return render(request, "reports/report.html", context)


@require_safe
def set_export(request: HttpRequest, file_format: str) -> HttpResponse:
    scope = reportable_workshops(request.user)
    form = ReportFilterForm(request.GET or None, workshops=scope)
    if form.is_bound and not form.is_valid():
        # An empty file titled "all workshops" would be read as the truth.
        reasons = [f"{error}" for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(
            _("This filter cannot be used: %(reasons)s") % {"reasons": " ".join(reasons)},
            content_type="text/plain; charset=utf-8",
        )
    workshops = form.apply(scope.held())
    description = form.description()
    report = exports.Report(
        figures=build_figures(workshops, project=form.selected_project),
        workshops=workshops,
        heading=_("Attendance report: %(filter)s")
        % {"filter": ", ".join(description.values()) or _("all workshops held")},
        subject=form.slug(),
        filters=description,
    )
    return _export(request, report, file_format)


@require_safe
def workshop_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    workshop = get_report_workshop_for(request.user, pk)
    workshops = Workshop.objects.filter(pk=workshop.pk)
    report = exports.Report(
        figures=build_figures(workshops, project=workshop.project),
        workshops=workshops,
        heading=_("Attendance report: %(filter)s") % {"filter": workshop.title},
        subject=f"{workshop.title[:40]}-{workshop.start_date.isoformat()}",
        filters={"workshop": str(workshop.pk)},
        workshop=workshop,
    )
    return _export(request, report, file_format)


def _export(request: HttpRequest, report: exports.Report, file_format: str) -> HttpResponse:
    rows = 0 if file_format == "figures.csv" else report.figures.attendances
    services.record_export(
        by=request.user,
        file_format=file_format,
        workshop=report.workshop,
        filters=report.filters,
        rows=rows,
    )
    if file_format == "xlsx":
        return exports.xlsx_response(
            report.figures, report.heading, report.workshops, report.subject
        )
    if file_format == "figures.csv":
        return exports.figures_csv_response(report.figures, report.subject)
    return exports.list_csv_response(report.figures, report.workshops, report.subject)
