from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the person chose English: with the language switcher on
    this device, or in their account.

    The browser's Accept-Language is ignored on purpose: many phones and
    borrowed laptops here are set to English while their users read French,
    and the portal is French first.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES) and request.user.is_authenticated:
            chosen = request.user.language
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PrivateResponseMiddleware:
    """Keep pages seen with a session out of every cache, and refuse device features.

    A page or export shown to a signed-in person may name activists: no shared
    proxy or browser history may keep it (`Cache-Control: no-store`). The
    session cookie decides, not `request.user`, so that this costs no query and
    still works when the database does not answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.ACRSS_PERMISSIONS_POLICY)
        return response
