from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import RolesForm
from accounts.models import User
from accounts.roles import Role, require_email_resender, require_role_assigner, roles_of
from accounts.services import (
    MailError,
    RoleError,
    set_preferred_language,
    set_roles,
)
from accounts.services import (
    send_email_again as resend_email,
)
from common.models import OutgoingEmail
from common.pagination import page_of

# The template reads this session key to leave the reminder out.
REMINDER_DISMISSED = "second_factor_reminder_dismissed"


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language, and remember it for a signed-in person's e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_preferred_language(request.user, language=language)
    return response


@require_POST
def dismiss_reminder(request: HttpRequest) -> HttpResponse:
    """Hide the second-factor reminder for the rest of the session."""
    request.session[REMINDER_DISMISSED] = True
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    """The secretariat gives and takes back roles; every change is audited."""
    require_role_assigner(request.user)
    initial = {}
    if email := request.GET.get("email"):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            initial = {
                "email": user.email,
                "roles": sorted(roles_of(user)),
                "partner_organisation": user.partner_organisation_id,
            }
    form = RolesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_roles(
                form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                partner_organisation=form.cleaned_data["partner_organisation"],
                by=request.user,
            )
        except RoleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The roles are saved."))
            return redirect("accounts:roles")
    staff = [
        (person, [Role(group.name).label for group in person.groups.all()])
        for person in User.objects.filter(groups__isnull=False)
        .distinct()
        .prefetch_related("groups")
        .order_by("email")
    ]
    return render(request, "accounts/roles.html", {"form": form, "staff": staff})


@login_required
@require_GET
def failed_emails(request: HttpRequest) -> HttpResponse:
    """The e-mails the portal owes but could not send, newest first, to send again."""
    require_email_resender(request.user)
    page, query = page_of(request, OutgoingEmail.objects.failed().order_by("-created_at", "-pk"))
    return render(request, "accounts/failed_emails.html", {"page": page, "query": query})


@login_required
@require_POST
def send_email_again(request: HttpRequest, pk: int) -> HttpResponse:
    require_email_resender(request.user)
    email = get_object_or_404(OutgoingEmail, pk=pk)
    try:
        resend_email(email, by=request.user)
    except MailError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The e-mail to %(address)s is being sent again.") % {"address": email.to}
        )
    return redirect("accounts:failed-emails")
