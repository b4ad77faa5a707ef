"""Importing a typed sign-in sheet: upload, preview, confirmation, the report of what it did."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from common.spreadsheets import csv_response
from workshops import forms, importing
from workshops.permissions import get_import_for, get_workshop_for
from workshops.services.errors import WorkshopError
from workshops.services.imports import (
    cancel_import,
    confirm_import,
    plan_of,
    remap_import,
    start_import,
)

# A preview shows every row with a remark, and the quiet ones up to this many rows.
PREVIEW_ROWS = 300


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = forms.ImportForm(request.POST or None, request.FILES or None, days=workshop.days)
    if request.method == "POST" and form.is_valid():
        # The sheet waits in private storage, named at random, so that any web
        # process can show the preview and confirm it.
        try:
            attendance_import = start_import(
                workshop,
                by=request.user,
                upload=form.cleaned_data["file"],
                day=form.cleaned_data["day"],
            )
        except importing.SheetError as error:
            form.add_error("file", str(error))
        else:
            return redirect("workshops:import-preview", pk=pk, import_pk=attendance_import.pk)
    return render(request, "workshops/import.html", {"workshop": workshop, "form": form})


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """What the sheet would do, row by row, and the totals it would give; POST
    confirms it (with the changes and organisations chosen) or cancels it."""
    attendance_import = get_import_for(request.user, pk, import_pk, pending=True)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        cancel_import(attendance_import, by=request.user)
        messages.success(request, _("Import cancelled: the file is deleted."))
        return redirect("workshops:manage", pk=pk)
    try:
        plan = plan_of(attendance_import)
    except importing.SheetError as error:
        cancel_import(attendance_import, by=request.user)
        messages.error(request, str(error))
        return redirect("workshops:import", pk=pk)
    shown = rows_shown(plan)
    reading = forms.ImportReadingForm(
        request.POST or None,
        sheet=plan.sheet,
        days=attendance_import.workshop.days,
        shown=shown["rows"],
    )
    form = forms.ImportConfirmForm(request.POST or None, plan=plan)
    if request.method == "POST" and reading.is_valid():
        mapping = reading.cleaned_data["mapping"]
        if request.POST.get("action") == "recompute" or mapping != plan.sheet.mapping:
            # What is confirmed is what was shown: a changed reading is shown first.
            remap_import(attendance_import, mapping)
            messages.info(request, _("The sheet is read again as you chose: check, then confirm."))
            return redirect("workshops:import-preview", pk=pk, import_pk=import_pk)
    if request.method == "POST" and reading.is_valid() and form.is_valid():
        try:
            done = confirm_import(
                attendance_import,
                by=request.user,
                accepted=form.cleaned_data["accepted"],
                organisations=form.cleaned_data["organisations"],
            )
        except WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, import_summary(done.report["counts"]))
        return redirect("workshops:manage", pk=pk)
    context = {
        "workshop": attendance_import.workshop,
        "attendance_import": attendance_import,
        "plan": plan,
        "form": form,
        "reading": reading,
        **shown,
    }
    return render(request, "workshops/import_preview.html", context)


def rows_shown(plan: importing.Plan) -> dict:
    """Every row with something to check, then the others up to a page's worth."""
    room = max(PREVIEW_ROWS - sum(1 for row in plan.rows if _remarkable(row)), 0)
    rows = []
    for row in plan.rows:
        if _remarkable(row) or room > 0:
            room -= not _remarkable(row)
            rows.append(row)
    return {"rows": rows, "rows_hidden": len(plan.rows) - len(rows)}


def _remarkable(row: importing.PlannedRow) -> bool:
    return bool(row.notes or row.changes or not row.counted or row.merged_lines or row.proposal)


def import_summary(counts: dict) -> str:
    parts = [
        ngettext("%(n)s person added", "%(n)s people added", counts["people_added"]),
        ngettext(
            "%(n)s person already known", "%(n)s people already known", counts["people_found"]
        ),
        ngettext("%(n)s row merged", "%(n)s rows merged", counts["rows_merged"]),
        ngettext("%(n)s row refused", "%(n)s rows refused", counts["rows_refused"]),
        ngettext("%(n)s value flagged", "%(n)s values flagged", counts["values_flagged"]),
        ngettext("%(n)s change applied", "%(n)s changes applied", counts["changes_applied"]),
    ]
    values = [
        counts["people_added"],
        counts["people_found"],
        counts["rows_merged"],
        counts["rows_refused"],
        counts["values_flagged"],
        counts["changes_applied"],
    ]
    text = ", ".join(part % {"n": n} for part, n in zip(parts, values, strict=True))
    return _("Imported: %(summary)s.") % {"summary": text}


@require_safe
def import_report(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """A confirmed import's report as CSV: its figures, then each row it has a word on."""
    attendance_import = get_import_for(request.user, pk, import_pk, pending=False)
    report = attendance_import.report
    verdicts = {
        importing.NEW: _("New person"),
        importing.MATCHED: _("Known person"),
        importing.DUPLICATE: _("Merged"),
        importing.REFUSED: _("Refused"),
    }
    lines = [[_("File"), "", attendance_import.file_name, ""]]
    lines += [[label, "", report["counts"].get(key, 0), ""] for key, label in report_labels()]
    lines.append([])
    for row in report["rows"]:
        remarks = [row["refusal"]] if row["refusal"] else []
        if row["same_as"]:
            remarks.append(_("Same person as line %(line)s") % {"line": row["same_as"]})
        remarks += row["notes"] + row["changes"]
        for remark in remarks:
            lines.append([row["line"], row["name"], verdicts.get(row["verdict"], ""), remark])
    subject = f"{attendance_import.workshop.title[:40]}-import-{attendance_import.pk}"
    filename = f"acrss-{slugify(subject)}-{timezone.localdate().isoformat()}.csv"
    return csv_response([_("Line"), _("Name"), _("Verdict"), _("Remark")], lines, filename)


def report_labels() -> list[tuple[str, str]]:
    return [
        ("rows", _("Rows read")),
        ("people_added", _("People added")),
        ("people_found", _("People already known")),
        ("rows_merged", _("Rows merged (same person)")),
        ("rows_refused", _("Rows refused (no name)")),
        ("rows_skipped", _("Rows skipped (titles, headers, totals, notes, left out)")),
        ("rows_empty", _("Empty rows")),
        ("values_flagged", _("Values flagged")),
        ("changes_applied", _("Changes applied to known people")),
        ("organisations_created", _("Organisations created")),
        ("presences_added", _("Presences added")),
    ]
