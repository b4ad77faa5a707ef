"""Public pages kept whole for a short while, for visitors only."""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

# The CSRF token of the page's forms (the language switcher) differs for every
# visitor and every response: a kept page holds this mark in its place, and each
# visitor receives a token of their own.
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_MARK = b"\x00csrf\x00"
# Cookies a visitor's page does not depend on (the language is part of the key).
_NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
# How long a visitor may see a public page (or the home's figures) as it was:
# a change shows to visitors within a minute.
VISITOR_SECONDS = 60


def _for_a_visitor(request: HttpRequest) -> bool:
    """Nobody signed in, no session, no message waiting: the page is everyone's."""
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= _NEUTRAL_COOKIES


def cached_for_visitors(view):
    """Keep a public page, per language and address, for VISITOR_SECONDS, and serve
    it to visitors without a session; anyone with a session always gets it fresh."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _for_a_visitor(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"visitor-page:{get_language()}:{path}"
        kept = cache.get(key)
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            content_type = response["Content-Type"]
            kept = (_TOKEN.sub(rb"\1" + _MARK + rb"\2", response.content), content_type)
            cache.set(key, kept, VISITOR_SECONDS)
            return response
        content, content_type = kept
        token = get_token(request).encode()
        return HttpResponse(content.replace(_MARK, token), content_type=content_type)

    return wrapper
