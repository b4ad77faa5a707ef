"""Who attends a workshop: registration, roles, daily presence and the printable sign-in sheet."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from workshops import forms
from workshops.models import Person
from workshops.permissions import get_attendance_for, get_workshop_for
from workshops.services.attendance import (
    change_role,
    record_presence,
    register_attendance,
    register_new_person,
    remove_attendance,
)
from workshops.services.errors import AlreadyRegistered, WorkshopError
from workshops.views.people import SEARCH_LIMIT
from workshops.views.workshops import confirm


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
            attendance = register_new_person(
                workshop,
                by=request.user,
                organisation=data["organisation_match"],
                organisation_name=data["organisation"],
                role=data["role"],
                **{k: data[k] for k in ("full_name", "sex", "birth_year", "phone", "email")},
                **{k: data[k] for k in ("position", "region", "consent_recorded")},
                consent_date=workshop.start_date if data["consent_recorded"] else None,
            )
        except WorkshopError as error:
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
        register_attendance(workshop, person, by=request.user, role=form.cleaned_data["role"])
    except AlreadyRegistered as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s is registered.") % {"person": person})
    return redirect("workshops:register", pk=workshop.pk)


@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_attendance_for(request.user, pk, attendance_pk)
    form = forms.RoleForm(request.POST or None, initial={"role": attendance.role})
    if request.method == "POST" and form.is_valid():
        change_role(attendance, by=request.user, role=form.cleaned_data["role"])
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
        remove_attendance(attendance, by=request.user)
        messages.success(
            request, _("%(person)s is no longer registered.") % {"person": attendance.person}
        )
        return redirect("workshops:manage", pk=pk)
    return confirm(
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
        added, removed = record_presence(
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
