from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from accounts.services import set_preferred_language


class AccountAdapter(DefaultAccountAdapter):
    """Keep the language a person reads the portal in, for the e-mails sent later."""

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def login(self, request, user) -> None:
        super().login(request, user)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            set_preferred_language(user, language=chosen)
