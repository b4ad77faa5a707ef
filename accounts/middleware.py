from __future__ import annotations

import time

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.roles import Role, has_second_factor, roles_of

# What a person may still reach before passing the second factor.
OPEN_PREFIXES = ("/account/", "/accounts/language/", "/static/", "/privacy/")
# Session keys: when this session signed in, and when it was last used.
SIGNED_IN_AT = "acrss_signed_in_at"
SEEN_AT = "acrss_seen_at"
# Last use is written at most this often (seconds), not on every page.
SEEN_RESOLUTION = 60


def needs_second_factor(user) -> bool:
    """Accounts that see personal data: committee, secretariat, partners, admins."""
    if not user.is_authenticated:
        return False
    staff_roles = {Role.COMMITTEE.value, Role.SECRETARIAT.value, Role.PARTNER.value}
    return user.is_superuser or bool(roles_of(user) & staff_roles)


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session, not merely this account, used the second factor.

    allauth records each step of a sign-in (and of a re-authentication) in the
    session; a session opened some other way has no "mfa" step.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class SecondFactorMiddleware:
    """Accounts that see personal data reach nothing else until they have set up
    TOTP and this session has passed it.

    With ACRSS_REQUIRE_MFA off (the demo), they are only reminded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_second_factor(user) and not request.path.startswith(OPEN_PREFIXES):
            if not has_second_factor(user):
                if settings.ACRSS_REQUIRE_MFA:
                    messages.warning(
                        request,
                        _(
                            "Your account sees personal data: "
                            "set up two-factor authentication first."
                        ),
                    )
                    return redirect(reverse("mfa_activate_totp"))
                request.second_factor_missing = True
            elif settings.ACRSS_REQUIRE_MFA and not passed_second_factor(request):
                messages.warning(
                    request,
                    _("Enter a code from your authenticator app to continue."),
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)


def keep_session_alive(session, *, signed_in_at: float, now: float) -> None:
    """Note the session's use now; a "remember me" cookie lasts no longer than
    the session may (a browser-session cookie stays one)."""
    session[SIGNED_IN_AT] = signed_in_at
    session[SEEN_AT] = now
    if session.get("_session_expiry") != 0:
        idle = settings.ACRSS_PRIVILEGED_SESSION_IDLE
        longest = settings.ACRSS_PRIVILEGED_SESSION_MAX
        session.set_expiry(int(min(idle, signed_in_at + longest - now)))


def start_session_clock(request: HttpRequest, user) -> None:
    """At sign-in: the privileged session's two clocks start now."""
    if needs_second_factor(user):
        now = time.time()
        keep_session_alive(request.session, signed_in_at=now, now=now)


class PrivilegedSessionMiddleware:
    """End the sessions of accounts that see personal data after an idle spell or
    a working day, whatever "remember me" said.

    The times live in the session itself, written at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user):
            session = request.session
            now = time.time()
            signed_in_at = session.get(SIGNED_IN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = settings.ACRSS_PRIVILEGED_SESSION_IDLE
            if now - seen_at > idle or now - signed_in_at > settings.ACRSS_PRIVILEGED_SESSION_MAX:
                logout(request)
                messages.info(request, _("Your session has ended: please log in again."))
                return redirect_to_login(request.get_full_path())
            if (
                SEEN_AT not in session
                or now - seen_at >= SEEN_RESOLUTION
                or (session.get("_session_expiry") != 0 and session.get_expiry_age() > idle)
            ):
                keep_session_alive(session, signed_in_at=signed_in_at, now=now)
        return self.get_response(request)
