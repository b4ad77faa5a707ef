"""Workshop pages: the secretariat's records and the public page of a public event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from common.caching import WRITES, cached_for_visitors, cached_part, lazy_context
from common.pagination import page_of, url_for_each
from common.spreadsheets import csv_response
from common.uploads import EXTENSIONS, serve_file
from members.models import Organisation
from workshops import forms, importing, services
from workshops.files import FILE_KINDS
from workshops.models import (
    Attendance,
    AttendanceImport,
    ImportStatus,
    Outcome,
    Person,
    Presence,
    Project,
    Workshop,
    WorkshopDocument,
    WorkshopPhoto,
)
from workshops.permissions import (
    ERASE_PERSON,
    EXPORT_PERSON,
    can_manage_workshops,
    get_attendance_for,
    get_file_for,
    get_import_for,
    get_outcome_for,
    get_person_for,
    get_workshop_for,
    require_workshop_manager,
    visible_workshops,
)

SEARCH_LIMIT = 20
# A preview shows every row with a remark, and the quiet ones up to this many rows.
PREVIEW_ROWS = 300


@login_not_required
@require_safe
def workshop_list(request: HttpRequest) -> HttpResponse:
    manager = can_manage_workshops(request.user)

    def table() -> dict:
        workshops = visible_workshops(request.user).select_related("project")
        if manager:
            workshops = workshops.with_attendee_count()
        page, query = page_of(request, workshops.order_by("-start_date", "-pk"))
        url = url_for_each("workshops:manage" if manager else "workshops:public")
        return {"page": page, "query": query, "rows": [(w, url(w.pk)) for w in page]}

    # The same for everyone with the same rights: drawn once per state of the rows.
    context = {
        **cached_part(request, Workshop, Project, Attendance, WRITES, also=str(manager)),
        **lazy_context(table, "page", "query", "rows"),
        "manager": manager,
    }
    return render(request, "workshops/list.html", context)


@login_not_required
@require_safe
@cached_for_visitors
def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_for(request.user, pk)
    manager = can_manage_workshops(request.user)
    context = {
        "workshop": workshop,
        "manager": manager,
        "preview": manager and not workshop.is_public,
        "outcomes": workshop.outcomes.in_reading_order(),
        "documents": workshop.documents.filter(is_public=True),
        "photos": workshop.photos.filter(is_public=True),
        "funders": workshop.all_funders(),
    }
    return render(request, "workshops/public.html", context)


# What the management page shows, worked out only when its part is not kept yet.
MANAGE_PARTS = (
    "page",
    "query",
    "rows",
    "days",
    "per_day",
    "imports",
    "latest_counts",
    "outcomes",
    "documents",
    "photos",
    "funders",
)


@require_safe
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_for(request.user, pk, edit=True)

    def details() -> dict:
        page, query = page_of(request, workshop.attendances.for_list())
        person_url = url_for_each("workshops:person-edit")
        edit_url = url_for_each("workshops:attendance-edit", workshop.pk)
        remove_url = url_for_each("workshops:attendance-delete", workshop.pk)
        imports = list(workshop.imports.filter(status=ImportStatus.CONFIRMED)[:5])
        counts = dict(
            Presence.objects.filter(attendance__workshop=workshop)
            .values_list("day")
            .annotate(n=Count("pk"))
        )
        return {
            "page": page,
            "query": query,
            "rows": [
                (
                    attendance,
                    person_url(attendance.person_id),
                    edit_url(attendance.pk),
                    remove_url(attendance.pk),
                )
                for attendance in page
            ],
            "days": workshop.days,
            "outcomes": workshop.outcomes.in_reading_order(),
            "documents": workshop.documents.all(),
            "photos": workshop.photos.all(),
            "funders": workshop.all_funders(),
            "per_day": [(day, counts.get(day, 0)) for day in workshop.days],
            "imports": imports,
            "latest_counts": [
                (label, imports[0].report["counts"].get(key, 0)) for key, label in report_labels()
            ]
            if imports
            else [],
        }

    # The same for every manager: drawn once per state of what it shows.
    shows = [Workshop, Project, Person, Attendance, Presence, Organisation, Outcome]
    shows += [AttendanceImport, WorkshopDocument, WorkshopPhoto, WRITES]
    context = {
        "workshop": workshop,
        **cached_part(request, *shows, also=str(workshop.pk)),
        **lazy_context(details, *MANAGE_PARTS),
    }
    return render(request, "workshops/manage.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        require_workshop_manager(request.user)
    workshop = get_workshop_for(request.user, pk, edit=True) if pk else None
    form = forms.WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "funders"}
        funders = form.cleaned_data["funders"]
        if workshop is None:
            workshop = services.create_workshop(by=request.user, funders=funders, **fields)
            messages.success(request, _("Workshop created."))
        else:
            services.update_workshop(workshop, by=request.user, funders=funders, **fields)
            messages.success(request, _("Workshop saved."))
        return redirect("workshops:manage", pk=workshop.pk)
    return render(request, "workshops/edit.html", {"form": form, "workshop": workshop})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Find people already known and register them, or add someone new."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    search = forms.PersonSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        registered = workshop.attendances.values("person_id")
        found = (
            Person.objects.search(search.cleaned_data["q"])
            .exclude(pk__in=registered)
            .select_related("organisation")[:SEARCH_LIMIT]
        )
    form = forms.PersonForm(
        request.POST if "full_name" in request.POST else None, event_day=workshop.start_date
    )
    if request.method == "POST" and "person" in request.POST:
        chosen = forms.RegisterExistingForm(request.POST)
        if chosen.is_valid():
            return _register(request, workshop, chosen.cleaned_data["person"], chosen)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attendance = services.register_new_person(
                workshop,
                by=request.user,
                organisation=data["organisation_match"],
                organisation_name=data["organisation"],
                role=data["role"],
                **{k: data[k] for k in ("full_name", "sex", "birth_year", "phone", "email")},
                **{k: data[k] for k in ("position", "region", "consent_recorded")},
                consent_date=workshop.start_date if data["consent_recorded"] else None,
            )
        except services.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(person)s is registered.") % {"person": attendance.person}
            )
            return redirect("workshops:register", pk=workshop.pk)
    context = {"workshop": workshop, "search": search, "found": found, "form": form}
    return render(request, "workshops/register.html", context)


def _register(request, workshop, person, form) -> HttpResponse:
    try:
        services.register_attendance(
            workshop, person, by=request.user, role=form.cleaned_data["role"]
        )
    except services.AlreadyRegistered as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s is registered.") % {"person": person})
    return redirect("workshops:register", pk=workshop.pk)


@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_attendance_for(request.user, pk, attendance_pk)
    form = forms.RoleForm(request.POST or None, initial={"role": attendance.role})
    if request.method == "POST" and form.is_valid():
        services.change_role(attendance, by=request.user, role=form.cleaned_data["role"])
        messages.success(request, _("Role saved."))
        return redirect("workshops:manage", pk=pk)
    return render(
        request,
        "workshops/attendance_edit.html",
        {"attendance": attendance, "workshop": attendance.workshop, "form": form},
    )


@require_http_methods(["GET", "POST"])
def attendance_delete(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_attendance_for(request.user, pk, attendance_pk)
    if request.method == "POST":
        services.remove_attendance(attendance, by=request.user)
        messages.success(
            request, _("%(person)s is no longer registered.") % {"person": attendance.person}
        )
        return redirect("workshops:manage", pk=pk)
    return _confirm(
        request,
        attendance.workshop,
        _("Remove %(person)s from this workshop, with the days present?")
        % {"person": attendance.person},
        verb=_("Remove"),
    )


@require_http_methods(["GET", "POST"])
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    """The presence grid: one checkbox per attendee and day."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    attendances = list(workshop.attendances.for_list())
    if request.method == "POST":
        form = forms.PresenceForm(
            request.POST, attendance_ids={a.pk for a in attendances}, days=workshop.days
        )
        form.is_valid()
        added, removed = services.record_presence(
            workshop, by=request.user, present=form.cleaned_data["present"]
        )
        messages.success(
            request,
            _("Presence saved: %(added)s added, %(removed)s removed.")
            % {"added": added, "removed": removed},
        )
        return redirect("workshops:manage", pk=pk)
    rows = []
    for attendance in attendances:
        present = {p.day for p in attendance.presences_kept}
        rows.append((attendance, [(day, day in present) for day in workshop.days]))
    return render(request, "workshops/presence.html", {"workshop": workshop, "rows": rows})


@require_safe
def sign_in_sheet(request: HttpRequest, pk: int, day: int) -> HttpResponse:
    """The printable feuille de présence of one day, with blank rows for walk-ins."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    days = workshop.days
    if not 1 <= day <= len(days):
        raise Http404
    attendances = list(workshop.attendances.select_related("person__organisation"))
    blank_rows = max(10, 25 - len(attendances) % 25)
    context = {
        "workshop": workshop,
        "day_number": day,
        "day_count": len(days),
        "date": days[day - 1],
        "attendances": attendances,
        "blank_numbers": range(len(attendances) + 1, len(attendances) + blank_rows + 1),
    }
    return render(request, "workshops/sign_in_sheet.html", context)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = forms.ImportForm(request.POST or None, request.FILES or None, days=workshop.days)
    if request.method == "POST" and form.is_valid():
        # The sheet waits in private storage, named at random, so that any web
        # process can show the preview and confirm it.
        try:
            attendance_import = services.start_import(
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
        services.cancel_import(attendance_import, by=request.user)
        messages.success(request, _("Import cancelled: the file is deleted."))
        return redirect("workshops:manage", pk=pk)
    try:
        plan = services.plan_of(attendance_import)
    except importing.SheetError as error:
        services.cancel_import(attendance_import, by=request.user)
        messages.error(request, str(error))
        return redirect("workshops:import", pk=pk)
    form = forms.ImportConfirmForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.confirm_import(
                attendance_import,
                by=request.user,
                accepted=form.cleaned_data["accepted"],
                organisations=form.cleaned_data["organisations"],
            )
        except services.WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, import_summary(done.report["counts"]))
        return redirect("workshops:manage", pk=pk)
    context = {
        "workshop": attendance_import.workshop,
        "attendance_import": attendance_import,
        "plan": plan,
        "form": form,
        **rows_shown(plan),
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
    return bool(row.notes or row.changes or not row.counted or row.merged_lines)


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
        ("values_flagged", _("Values flagged")),
        ("changes_applied", _("Changes applied to known people")),
        ("organisations_created", _("Organisations created")),
        ("presences_added", _("Presences added")),
    ]


def people(request: HttpRequest) -> HttpResponse:
    """The register of people, across workshops: found by name, phone or e-mail."""
    if not can_manage_workshops(request.user):
        raise Http404
    search = forms.PersonSearchForm(request.GET or None)
    found = Person.objects.select_related("organisation").annotate(
        workshop_count=Count("attendances")
    )
    if search.is_valid() and search.cleaned_data["q"]:
        found = found.search(search.cleaned_data["q"])
    elif search.is_bound and not search.is_valid():
        # The form says what is wrong; everybody under it would look like matches.
        found = found.none()
    page, query = page_of(request, found.order_by("full_name", "pk"))
    context = {"search": search, "page": page, "query": query}
    return render(request, "workshops/people.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_person_for(request.user, person_pk)
    form = forms.PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form.changed_data or name == "age_group"
        }
        try:
            services.update_person(person, by=request.user, **fields)
        except services.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(person)s is saved.") % {"person": person})
            return redirect("workshops:person-edit", person_pk=person.pk)
    attendances = person.attendances.select_related("workshop").order_by("-workshop__start_date")
    context = {"person": person, "form": form, "attendances": attendances}
    return render(request, "workshops/person_edit.html", context)


@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Find the other record of the same person, check both side by side, merge."""
    person = get_person_for(request.user, person_pk)
    search = forms.PersonSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = (
            Person.objects.search(search.cleaned_data["q"])
            .exclude(pk=person.pk)
            .select_related("organisation")[:SEARCH_LIMIT]
        )
    data = request.POST if request.method == "POST" else request.GET
    form = forms.MergeForm(data if "other" in data else None)
    other = form.cleaned_data["other"] if form.is_bound and form.is_valid() else None
    if other is not None and other.pk == person.pk:
        other = None
    if request.method == "POST" and other is not None:
        try:
            services.merge_people(person, other, by=request.user)
        except services.WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(other)s is merged into %(person)s.") % {"other": other, "person": person},
            )
        return redirect("workshops:person-edit", person_pk=person.pk)
    context = {"person": person, "search": search, "found": found, "other": other}
    return render(request, "workshops/person_merge.html", context)


@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pk: int, outcome_pk: int | None = None) -> HttpResponse:
    if outcome_pk is None:
        workshop, outcome = get_workshop_for(request.user, pk, edit=True), None
    else:
        outcome = get_outcome_for(request.user, pk, outcome_pk)
        workshop = outcome.workshop
    form = forms.OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if outcome is None:
                services.add_outcome(workshop, by=request.user, **fields)
            else:
                services.update_outcome(outcome, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Outcome saved."))
            return redirect("workshops:manage", pk=pk)
    context = {"workshop": workshop, "form": form, "outcome": outcome}
    return render(request, "workshops/outcome_edit.html", context)


@require_http_methods(["GET", "POST"])
def outcome_delete(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    outcome = get_outcome_for(request.user, pk, outcome_pk)
    if request.method == "POST":
        services.delete_outcome(outcome, by=request.user)
        messages.success(request, _("Outcome deleted."))
        return redirect("workshops:manage", pk=pk)
    return _confirm(
        request,
        outcome.workshop,
        _("Delete this outcome: « %(text)s »?") % {"text": outcome},
        verb=_("Delete"),
    )


@require_http_methods(["GET", "POST"])
def file_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    file_kind = FILE_KINDS[kind]
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = file_kind.form(
        request.POST or None, request.FILES or None, images_only=file_kind.images_only
    )
    if request.method == "POST" and form.is_valid():
        services.add_file(workshop, kind=kind, by=request.user, **form.cleaned_data)
        messages.success(request, _("File added."))
        return redirect("workshops:manage", pk=pk)
    context = {"workshop": workshop, "form": form, "file_kind": file_kind}
    return render(request, "workshops/file_add.html", context)


@login_not_required
@require_safe
def file_download(request: HttpRequest, pk: int, kind: str, file_pk: int) -> HttpResponse:
    item = get_file_for(request.user, FILE_KINDS[kind].model, pk, file_pk)
    filename = (slugify(str(item)) or kind) + EXTENSIONS.get(item.content_type, "")
    return serve_file(
        item.file,
        content_type=item.content_type,
        filename=filename,
        inline=item.content_type.startswith("image/"),
    )


@require_http_methods(["GET", "POST"])
def file_delete(request: HttpRequest, pk: int, kind: str, file_pk: int) -> HttpResponse:
    item = get_file_for(request.user, FILE_KINDS[kind].model, pk, file_pk, edit=True)
    if request.method == "POST":
        services.delete_file(item, by=request.user)
        messages.success(request, _("File deleted."))
        return redirect("workshops:manage", pk=pk)
    return _confirm(
        request,
        item.workshop,
        _("Delete the file « %(name)s »?") % {"name": item},
        verb=_("Delete"),
    )


def _confirm(request, workshop, question: str, *, verb: str) -> HttpResponse:
    """Ask before a removal, on a button that names what it does."""
    context = {"workshop": workshop, "question": question, "verb": verb}
    return render(request, "workshops/confirm.html", context)


# A person's data rights -----------------------------------------------------------


@require_safe
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the portal holds on one person, as a JSON file; the export is audited."""
    person = get_person_for(request.user, pk, permission=EXPORT_PERSON)
    services.record_personal_data_export(person, by=request.user)
    response = JsonResponse(
        services.personal_data_of(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, permission=ERASE_PERSON)
    if request.method == "POST":
        try:
            services.erase_person(person, by=request.user)
        except services.WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The identity is erased; the presence still counts in the reports."),
            )
        return redirect("workshops:list")
    attendances = person.attendances.select_related("workshop").order_by("workshop__start_date")
    return render(
        request, "workshops/person_erase.html", {"person": person, "attendances": attendances}
    )
