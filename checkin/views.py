"""Check-in at the door, self check-in by QR code, and certificates of participation."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checkin import forms, links, queries, services
from checkin.models import CertificateSettings, SelfCheckIn
from checkin.permissions import get_attendance_for, get_self_check_in_for, get_workshop_for
from checkin.throttle import allow_self_check_in, mark_device
from workshops.models import Person, Workshop, WorkshopStatus

ENTRIES_SHOWN = 5
CERTIFICATES_PER_PAGE = 30


def _day(workshop: Workshop, value: str | None) -> datetime.date:
    """The day asked for if it is one of the workshop's; else today if it is; else the first."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day in workshop.days:
        return day
    today = timezone.localdate()
    return today if today in workshop.days else workshop.start_date


def _door_url(workshop: Workshop, day: datetime.date, q: str = "") -> str:
    query = {"day": day.isoformat(), **({"q": q} if q else {})}
    return f"{reverse('checkin:door', args=[workshop.pk])}?{urlencode(query)}"


def _render_door(
    request: HttpRequest,
    workshop: Workshop,
    day: datetime.date,
    *,
    search: forms.SearchForm,
    walk_in: forms.WalkInForm,
    matches: list[Person] | tuple = (),
) -> HttpResponse:
    """The door page: shared by its GET and by a walk-in form that needs another look."""
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    entries = SelfCheckIn.objects.to_review(workshop)
    context = {
        "workshop": workshop,
        "day": day,
        "days": workshop.days,
        "q": q,
        "search": search,
        "registered": queries.registered_matching(workshop, q, day) if q else [],
        "known": queries.known_not_registered(workshop, q) if q else [],
        "search_limit": queries.SEARCH_LIMIT,
        "counts": queries.day_counts(workshop, day),
        "entries": entries[:ENTRIES_SHOWN],
        "entries_count": entries.count(),
        "walk_in": walk_in,
        "matches": matches,
    }
    return render(request, "checkin/door.html", context)


@require_GET
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's page at the door: search, ticks, counts, walk-ins, entries to confirm."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    day = _day(workshop, request.GET.get("day"))
    search = forms.SearchForm(request.GET)
    return _render_door(
        request, workshop, day, search=search, walk_in=forms.WalkInForm(event_day=day)
    )


@require_POST
def tick(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark someone present: a registered attendee, or a known person registered now."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = forms.TickForm(request.POST)
    if not form.is_valid():
        return _nothing_ticked(request, workshop)
    day, q = form.cleaned_data["day"], form.cleaned_data["q"]
    try:
        if form.cleaned_data["attendance"]:
            attendance = get_attendance_for(request.user, pk, form.cleaned_data["attendance"])
            created = services.mark_present(attendance, day=day, by=request.user)
        else:
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            attendance = services.check_in_person(workshop, person, day=day, by=request.user)
            created = True
    except services.CheckInError as error:
        messages.error(request, str(error))
    else:
        text = _("%(person)s is present.") if created else _("%(person)s was already present.")
        messages.success(request, text % {"person": attendance.person})
    return redirect(_door_url(workshop, day, q))


def _nothing_ticked(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """A tap that names nobody (a stale page, a form sent twice): back to the door."""
    messages.error(request, _("Nothing was changed: find the person again."))
    return redirect(_door_url(workshop, _day(workshop, request.POST.get("day"))))


@require_POST
def untick(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_workshop_for(request.user, pk, edit=True)
    form = forms.TickForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["attendance"]:
        return _nothing_ticked(request, workshop)
    attendance = get_attendance_for(request.user, pk, form.cleaned_data["attendance"])
    day = form.cleaned_data["day"]
    if services.mark_absent(attendance, day=day, by=request.user):
        messages.success(
            request, _("%(person)s is no longer marked present.") % {"person": attendance.person}
        )
    return redirect(_door_url(workshop, day, form.cleaned_data["q"]))


@require_POST
def walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Add someone who was not registered, after offering the known people they may be."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    day = _day(workshop, request.POST.get("day"))
    form = forms.WalkInForm(request.POST, event_day=day)
    matches = []
    if form.is_valid():
        data = form.cleaned_data
        if not data["confirmed_new"]:
            matches = list(queries.likely_matches(data["full_name"], data["phone"])[:5])
        if matches:
            form = forms.WalkInForm({**request.POST.dict(), "confirmed_new": "1"}, event_day=day)
            form.is_valid()
        else:
            try:
                attendance = services.add_walk_in(
                    workshop,
                    day=day,
                    by=request.user,
                    organisation=data["organisation_match"],
                    organisation_name=data["organisation"],
                    **{k: data[k] for k in ("full_name", "sex", "birth_year", "position", "phone")},
                )
            except services.WorkshopError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(person)s is registered and present.") % {"person": attendance.person},
                )
                return redirect(_door_url(workshop, day))
    search = forms.SearchForm({})
    return _render_door(request, workshop, day, search=search, walk_in=form, matches=matches)


@require_POST
def decide_entry(request: HttpRequest, pk: int, entry_pk: int, action: str) -> HttpResponse:
    """Confirm a self check-in as a new person, merge it with its match, or reject it."""
    entry = get_self_check_in_for(request.user, pk, entry_pk)
    decide = {
        "confirm": services.confirm_self_check_in,
        "merge": services.merge_self_check_in,
        "reject": services.reject_self_check_in,
    }[action]
    try:
        decide(entry, by=request.user)
    except services.WorkshopError as error:
        messages.error(request, str(error))
    else:
        done = {
            "confirm": _("%(person)s is added and present."),
            "merge": _("%(person)s is present (merged with the known person)."),
            "reject": _("The check-in of %(person)s is rejected."),
        }[action]
        messages.success(request, done % {"person": entry.full_name})
    return redirect(_door_url(entry.workshop, entry.day))


@require_GET
def qr_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's QR code to show or print: it links to the self check-in page."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    day = _day(workshop, request.GET.get("day"))
    url = request.build_absolute_uri(
        reverse("checkin:self", args=[links.make_token(workshop.pk, day)])
    )
    # Drawn here from our own URL: markup with no script and no inline style.
    svg = mark_safe(links.qr_code_svg(url))  # noqa: S308
    context = {"workshop": workshop, "day": day, "days": workshop.days, "url": url, "svg": svg}
    return render(request, "checkin/qr.html", context)


def _workshop_of_token(token: str) -> tuple[Workshop, datetime.date]:
    parsed = links.read_token(token)
    if parsed is None:
        raise Http404
    workshop_pk, day = parsed
    workshop = get_object_or_404(
        Workshop.objects.exclude(status=WorkshopStatus.CANCELLED), pk=workshop_pk
    )
    return workshop, day


@login_not_required
@require_http_methods(["GET", "POST"])
def self_check_in(request: HttpRequest, token: str) -> HttpResponse:
    """A participant checks in on their own phone: no account, nobody listed."""
    workshop, day = _workshop_of_token(token)
    context = {"workshop": workshop, "day": day}
    if day != timezone.localdate() or day not in workshop.days:
        return render(request, "checkin/self_refused.html", context, status=403)
    form = forms.SelfCheckInForm(request.POST or None)
    if request.method == "POST":
        if not allow_self_check_in(request, workshop.pk, day):
            context.update(form=form, limited=True)
            return render(request, "checkin/self_check_in.html", context, status=429)
        if form.is_valid():
            try:
                services.record_self_check_in(workshop, day=day, **form.cleaned_data)
            except services.CheckInError as error:
                form.add_error(None, str(error))
            else:
                return redirect("checkin:self-thanks", token=token)
    context["form"] = form
    response = render(request, "checkin/self_check_in.html", context)
    mark_device(request, response)
    return response


@login_not_required
@require_GET
def self_thanks(request: HttpRequest, token: str) -> HttpResponse:
    workshop, day = _workshop_of_token(token)
    return render(request, "checkin/self_thanks.html", {"workshop": workshop, "day": day})


@require_http_methods(["GET", "POST"])
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Who gets a certificate (present at least N days), in which language, signed by whom."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    signatory = CertificateSettings.objects.filter(workshop=workshop).first()
    settings_form = forms.CertificateSettingsForm(
        request.POST or None, instance=signatory or CertificateSettings(workshop=workshop)
    )
    if request.method == "POST" and settings_form.is_valid():
        services.save_certificate_settings(workshop, by=request.user, **settings_form.cleaned_data)
        messages.success(request, _("Signatory saved."))
        return redirect("checkin:certificates", pk=workshop.pk)
    defaults = {"min_days": 1, "language": request.LANGUAGE_CODE}
    options = forms.CertificateOptionsForm(
        {**defaults, **request.GET.dict()}, days=len(workshop.days)
    )
    attendances = queries.certificate_attendances(
        workshop, options.cleaned_data["min_days"] if options.is_valid() else 1
    )
    page = Paginator(attendances, CERTIFICATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "workshop": workshop,
        "settings_form": settings_form,
        "options": options,
        "query": urlencode(options.cleaned_data) if options.is_valid() else "",
        "attendances": page.object_list,
        "page": page,
        "total": page.paginator.count,
        "held": workshop.status == WorkshopStatus.HELD,
    }
    return render(request, "checkin/certificates.html", context)


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _options(request: HttpRequest, workshop: Workshop) -> dict:
    """The minimum days and language asked for, each defaulting on its own."""
    defaults = {"min_days": 1, "language": request.LANGUAGE_CODE}
    data = {**defaults, **request.GET.dict()}
    options = forms.CertificateOptionsForm(data, days=len(workshop.days))
    return options.cleaned_data if options.is_valid() else defaults


@require_GET
def certificate_pdf(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_attendance_for(request.user, pk, attendance_pk)
    options = _options(request, attendance.workshop)
    try:
        pdf = services.generate_certificates(
            attendance.workshop, [attendance], by=request.user, **options
        )
    except services.CheckInError as error:
        messages.error(request, str(error))
        return redirect("checkin:certificates", pk=pk)
    return _pdf_response(pdf, slugify(attendance.person.full_name) or "certificate")


@require_GET
def certificates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of the chosen attendees in one PDF, one page each."""
    workshop = get_workshop_for(request.user, pk, edit=True)
    options = _options(request, workshop)
    attendances = list(queries.certificate_attendances(workshop, options["min_days"]))
    try:
        if not attendances:
            raise services.CheckInError(_("Nobody was present that many days."))
        pdf = services.generate_certificates(workshop, attendances, by=request.user, **options)
    except services.CheckInError as error:
        messages.error(request, str(error))
        return redirect("checkin:certificates", pk=pk)
    return _pdf_response(pdf, f"certificates-{slugify(workshop.title)}")


@require_POST
def certificate_send(request: HttpRequest, pk: int, attendance_pk: int) -> HttpResponse:
    attendance = get_attendance_for(request.user, pk, attendance_pk)
    options = forms.CertificateOptionsForm(request.POST, days=len(attendance.workshop.days))
    language = options.cleaned_data["language"] if options.is_valid() else request.LANGUAGE_CODE
    try:
        services.send_certificate(attendance, by=request.user, language=language)
    except services.CheckInError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The certificate is sent to %(person)s.") % {"person": attendance.person}
        )
    url = reverse("checkin:certificates", args=[pk])
    return redirect(f"{url}?{urlencode(options.cleaned_data)}" if options.is_valid() else url)
