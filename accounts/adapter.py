from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext

from accounts import lockout
from accounts.roles import roles_of
from accounts.services import set_preferred_language
from common.mail import owe_email


@dataclass(frozen=True)
class Portal:
    """What allauth's e-mails call the site: the portal's name and address, not the host's."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Keep the language a person reads the portal in, for the e-mails sent later."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (confirmation, password reset, notices) are owed like the
        portal's own, and sent by the worker (`common/mail.py`)."""
        portal = Portal(name=gettext("the AC-RSS portal"), domain=settings.SITE_URL)
        context = {"email": email, **context, "current_site": portal}
        if self.request is not None:
            context.setdefault("request", self.request)
        owe_email(self.render_mail(template_prefix, email, context), kind=template_prefix)

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request) -> str:
        """A person with no role, a representative or someone about to become one, lands
        on their organisation's page, where the next step is (describing it, first)."""
        user = request.user
        if not (user.is_superuser or roles_of(user) or user.partner_organisation_id):
            return reverse("members:mine")
        return super().get_login_redirect_url(request)

    def login(self, request, user) -> None:
        super().login(request, user)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            set_preferred_language(user, language=chosen)

    def send_account_already_exists_mail(self, email: str) -> None:
        """Sign-up with a known address: hash a password as a new account would, so that
        the answer takes as long as for an unknown address and tells nothing."""
        make_password(get_random_string(20))
        super().send_account_already_exists_mail(email)

    # --- Failed log-ins (see accounts/lockout.py) ---------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth's per-"key" limit counts the account and the address together."""
        return lockout.attempt_key(request, _login_of(credentials))

    def pre_authenticate(self, request, **credentials) -> None:
        login = _login_of(credentials)
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            lockout.record_lock(request, login, scope="address")
            raise
        if not lockout.allow_slowed_try(request, login):
            self._rollback_login_failed_rl_usage()
            lockout.record_lock(request, login, scope="account")
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials) -> None:
        lockout.record_failure(request, _login_of(credentials))


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""
