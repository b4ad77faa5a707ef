"""The register of people: search, corrections, merges, and a person's data rights."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.pagination import page_of
from workshops import forms
from workshops.models import Person
from workshops.permissions import (
    ERASE_PERSON,
    EXPORT_PERSON,
    can_manage_workshops,
    get_person_for,
)
from workshops.services.errors import WorkshopError
from workshops.services.people import merge_people, update_person
from workshops.services.privacy import erase_person, personal_data_of, record_personal_data_export

SEARCH_LIMIT = 20


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
            update_person(person, by=request.user, **fields)
        except WorkshopError as error:
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
            merge_people(person, other, by=request.user)
        except WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(other)s is merged into %(person)s.") % {"other": other, "person": person},
            )
        return redirect("workshops:person-edit", person_pk=person.pk)
    context = {"person": person, "search": search, "found": found, "other": other}
    return render(request, "workshops/person_merge.html", context)


# A person's data rights -----------------------------------------------------------


@require_safe
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the portal holds on one person, as a JSON file; the export is audited."""
    person = get_person_for(request.user, pk, permission=EXPORT_PERSON)
    record_personal_data_export(person, by=request.user)
    response = JsonResponse(
        personal_data_of(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, permission=ERASE_PERSON)
    if request.method == "POST":
        try:
            erase_person(person, by=request.user)
        except WorkshopError as error:
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
