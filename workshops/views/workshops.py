"""A workshop's pages: the list, the public page, the management page, details, outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from common.caching import cached_for_visitors, cached_part, lazy_context
from common.pagination import page_of, url_for_each
from workshops import forms
from workshops.models import (
    ImportStatus,
    Presence,
    WorkshopSummary,
)
from workshops.permissions import (
    can_manage_workshops,
    get_outcome_for,
    get_workshop_for,
    require_workshop_manager,
    visible_workshops,
)
from workshops.services.workshops import (
    add_outcome,
    create_workshop,
    delete_outcome,
    update_outcome,
    update_workshop,
)
from workshops.views.imports import report_labels


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
        **cached_part(
            request,
            WorkshopSummary.objects.version_of(visible_workshops(request.user)),
            also=str(manager),
        ),
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

    # The same for every manager: drawn once per version of the workshop.
    version = WorkshopSummary.objects.version_of_workshop(workshop.pk)
    context = {
        "workshop": workshop,
        **cached_part(request, version, also=str(workshop.pk)),
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
            workshop = create_workshop(by=request.user, funders=funders, **fields)
            messages.success(request, _("Workshop created."))
        else:
            update_workshop(workshop, by=request.user, funders=funders, **fields)
            messages.success(request, _("Workshop saved."))
        return redirect("workshops:manage", pk=workshop.pk)
    return render(request, "workshops/edit.html", {"form": form, "workshop": workshop})


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
                add_outcome(workshop, by=request.user, **fields)
            else:
                update_outcome(outcome, by=request.user, **fields)
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
        delete_outcome(outcome, by=request.user)
        messages.success(request, _("Outcome deleted."))
        return redirect("workshops:manage", pk=pk)
    return confirm(
        request,
        outcome.workshop,
        _("Delete this outcome: “%(text)s”?") % {"text": outcome},
        verb=_("Delete"),
    )


def confirm(request, workshop, question: str, *, verb: str) -> HttpResponse:
    """Ask before a removal, on a button that names what it does."""
    context = {"workshop": workshop, "question": question, "verb": verb}
    return render(request, "workshops/confirm.html", context)
