from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role, roles_of

# What a person may still reach before setting up the second factor.
OPEN_PREFIXES = ("/account/", "/accounts/language/", "/static/", "/privacy/")


def needs_second_factor(user) -> bool:
    """Accounts that see personal data: committee, secretariat, partners, admins."""
    if not user.is_authenticated:
        return False
    staff_roles = {Role.COMMITTEE.value, Role.SECRETARIAT.value, Role.PARTNER.value}
    return user.is_superuser or bool(roles_of(user) & staff_roles)


class SecondFactorMiddleware:
    """Send accounts that see personal data to set up TOTP before anything else.

    With ACRSS_REQUIRE_MFA off (the demo), they are only reminded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_second_factor(user)
            and not request.path.startswith(OPEN_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            if settings.ACRSS_REQUIRE_MFA:
                messages.warning(
                    request,
                    _("Your account sees personal data: set up two-factor authentication first."),
                )
                return redirect(reverse("mfa_activate_totp"))
            request.second_factor_missing = True
        return self.get_response(request)
