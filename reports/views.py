"""Attendance reports: one workshop, or a filtered set, with its chart and exports."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.caching import lazy_context, version_of_rows
from reports import exports, services
from reports.cache import (
    ChosenSet,
    FigureKeys,
    cached_page,
    cached_sign_in,
    chosen_set,
    figures_and_keys,
)
from reports.chart import chart
from reports.forms import ReportFilterForm
from reports.models import ExportStatus
from reports.permissions import (
    get_export_job_for,
    get_report_workshop_for,
    report_scope,
    report_scope_id,
    reportable_workshops,
    require_report_workshop,
)
from workshops.models import Workshop, WorkshopSummary

# The page's budget (30 KB of HTML) holds the chart and table of about this many
# workshops; the totals always cover the whole set, and the exports list every row.
ROWS_SHOWN = 15
# The same budget holds about this many people of a workshop's sign-in list; the
# list export has everyone.
SIGN_IN_SHOWN = 60


@require_safe
def set_report(request: HttpRequest) -> HttpResponse:
    scope_name = report_scope(request.user)
    filtered = any(request.GET.values())

    @cache
    def chosen() -> tuple[ReportFilterForm, QuerySet]:
        scope = reportable_workshops(request.user)
        form = ReportFilterForm(request.GET or None, workshops=scope)
        return form, form.apply(scope.held())

    # The page is kept under the version of the user's whole scope (read without a
    # form or a queryset): a filtered set is part of it, so it is never shown stale.
    scope_id = report_scope_id(request.user)
    version = WorkshopSummary.objects.version_of_scope(scope_id)

    @cache
    def picked() -> ChosenSet:
        # Which workshops the filter holds changes with the scope, never with a
        # check-in: kept, it spares a day of check-ins the form and its queries.
        def choose() -> ChosenSet:
            form, workshops = chosen()
            project = form.selected_project
            return ChosenSet(
                ids=list(workshops.values_list("pk", flat=True)),
                project_id=project.pk if project else None,
                holds=not form.is_bound or form.is_valid(),
            )

        return chosen_set(request, scope_name, version, choose)

    def details() -> dict:
        if filtered:
            # A filtered set's figures are kept under its own workshops' versions.
            figures, keys = figures_and_keys(
                Workshop.objects.filter(pk__in=picked().ids), project=picked().project
            )
        else:
            # The whole scope needs no form: its filter is drawn (or kept) apart.
            workshops = reportable_workshops(request.user).held()
            figures, keys = figures_and_keys(workshops, scope=scope_id, version=version)
        return _drawn(figures, keys, shown=ROWS_SHOWN)

    context = {
        **cached_page(request, scope_name, version),
        "form": SimpleLazyObject(lambda: chosen()[0]),
        "filter_holds": SimpleLazyObject(lambda: not filtered or picked().holds),
        **lazy_context(details, *DRAWN),
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/report.html", context)


@require_safe
def workshop_report(request: HttpRequest, pk: int) -> HttpResponse:
    version = WorkshopSummary.objects.version_of_workshop(pk)
    require_report_workshop(request.user, pk, version=version)
    # Read only when the page is not kept yet (its title is kept with it); the
    # user may read it, as asked just above.
    workshop = SimpleLazyObject(
        lambda: get_object_or_404(Workshop.objects.select_related("project"), pk=pk)
    )

    def details() -> dict:
        figures, keys = figures_and_keys(
            Workshop.objects.filter(pk=workshop.pk), project=workshop.project, version=version
        )
        rows = SimpleLazyObject(
            lambda: cached_sign_in(workshop, keys, figures.youth_max_age, limit=SIGN_IN_SHOWN)
        )
        return {
            **_drawn(figures, keys),
            "sign_in": SimpleLazyObject(
                lambda: [(row, list(zip(day_labels, row.present, strict=True))) for row in rows]
            ),
            # The list is drawn again only when the presences of the people it shows
            # change: a check-in of anyone further down the alphabet leaves it kept.
            "sign_in_key": SimpleLazyObject(
                lambda: version_of_rows(keys.people, [row.present for row in rows])
            ),
        }

    # Each day's name, worked out once for the list's heading and every row's cells.
    day_labels = SimpleLazyObject(
        lambda: [date_format(day, "MONTH_DAY_FORMAT") for day in workshop.days]
    )
    context = {
        "workshop": workshop,
        **cached_page(request, f"workshop:{pk}", version),
        **lazy_context(details, "sign_in", "sign_in_key", *DRAWN),
        "day_labels": day_labels,
    }
    return render(request, "reports/report.html", context)


# What a report page draws of its figures (see _drawn).
DRAWN = ["figures", "figure_keys", "rows", "per_day", "chart", "definition"]


def _drawn(figures, keys: FigureKeys | None, *, shown: int | None = None) -> dict:
    """What the page draws of the figures. Each part is worked out only when the
    figures' part of the page is not cached yet under ``keys``."""
    return {
        "figures": figures,
        "figure_keys": keys,
        "rows": SimpleLazyObject(lambda: figures.rows[:shown]),
        "per_day": SimpleLazyObject(lambda: figures.per_day[:shown]),
        "chart": SimpleLazyObject(lambda: chart(figures.rows[:shown], figures.youth_max_age)),
        "definition": SimpleLazyObject(lambda: exports.youth_definition(figures.youth_max_age)),
    }


# A POST confirms an export too large for one request (see _export_in_background).
@require_http_methods(["GET", "HEAD", "POST"])
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
    return _export(request, exports.set_report(form, scope), file_format)


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    workshop = get_report_workshop_for(request.user, pk)
    return _export(request, exports.workshop_report(workshop), file_format)


def _export(request: HttpRequest, report: exports.Report, file_format: str) -> HttpResponse:
    if file_format == "xlsx" and report.rows > settings.ACRSS_XLSX_IN_REQUEST_ROWS:
        return _export_in_background(request, report)
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    rows = 0 if file_format == "figures.csv" else report.rows
    services.record_export(
        by=request.user,
        file_format=file_format,
        workshop=report.workshop,
        filters=report.filters,
        rows=rows,
    )
    if file_format == "xlsx":
        return exports.xlsx_response(report)
    if file_format == "figures.csv":
        return exports.figures_csv_response(report)
    return exports.list_csv_response(report)


def _export_in_background(request: HttpRequest, report: exports.Report) -> HttpResponse:
    """Too many rows for one request: say so, and queue the workbook once confirmed."""
    query = services.query_of(request.GET)
    if request.method == "POST":
        job = services.request_export(report, by=request.user, query=query)
        return redirect("reports:export-job", pk=job.pk)
    if report.workshop is not None:
        cancel_url = reverse("reports:workshop", args=[report.workshop.pk])
    else:
        cancel_url = reverse("reports:set") + (f"?{query}" if query else "")
    context = {"report": report, "rows": report.rows, "cancel_url": cancel_url}
    return render(request, "reports/confirm_export.html", context)


@require_safe
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_export_job_for(request.user, pk)
    return render(request, "reports/export_job.html", {"job": job})


@require_safe
def export_job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = get_export_job_for(request.user, pk)
    if job.status != ExportStatus.DONE:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=exports.XLSX_TYPE,
    )
