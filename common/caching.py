"""Pages and parts of pages kept in the shared cache: public pages whole for a
short while, for visitors only; parts of signed-in pages per version of their rows."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Library, TemplateSyntaxError
from django.templatetags.cache import CacheNode
from django.utils.functional import SimpleLazyObject
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


def cached_for_visitors(view=None, *, of: str = ""):
    """Keep a public page, per language and address, for VISITOR_SECONDS, and serve
    it to visitors without a session; anyone with a session always gets it fresh.

    With ``of`` (a name), the page is kept under that name's generation too, which
    ``forget_visitor_pages(name)`` replaces: a removal that must not wait a minute.
    """
    if view is None:
        return lambda view: cached_for_visitors(view, of=of)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _for_a_visitor(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        generation = cache.get(_generation_key(of), "") if of else ""
        key = f"visitor-page:{get_language()}:{generation}:{path}"
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


def _generation_key(name: str) -> str:
    return f"visitor-pages:{name}"


def forget_visitor_pages(name: str) -> None:
    """Visitors' copies of the pages kept ``of=name`` are never read again.

    Replaced at once and again when the write commits, so that a page drawn
    meanwhile from the rows as they were before the commit is not kept as new.
    """

    def replace() -> None:
        cache.set(_generation_key(name), secrets.token_hex(8), None)

    replace()
    transaction.on_commit(replace)


# --- Parts of signed-in pages, drawn once per version of what they show -------------
# A long table costs tens of milliseconds to draw, the same for everyone who may
# see it. Such a part is kept under the version of the rows it shows, which the
# caller reads first (a workshop's, kept by the database's triggers: see
# workshops/summaries/): a part drawn from rows read before a write is then kept
# under a version the write has already replaced, and never read again.
PART_SECONDS = 3600


def lazy_context(build: Callable[[], dict], *names: str) -> dict:
    """The values ``build`` returns, each worked out only when a template first reads
    it: a page whose part is cached under its data version never reads its rows."""
    values = SimpleLazyObject(build)
    return {name: SimpleLazyObject(lambda name=name: values[name]) for name in names}


def version_of_rows(*values) -> str:
    """A digest of what a part shows, where no counter is kept for its rows: it
    changes with any of them (read before the part, in the same request)."""
    return hashlib.sha256(repr(values).encode()).hexdigest()


def cached_part(request: HttpRequest, version: str, *, also: str = "") -> dict:
    """What a template's ``{% cache part.seconds "name" part.key %}`` varies on: the
    version of the rows the part shows, the query (page, filters), the language,
    and ``also`` (whatever else the part depends on)."""
    text = "|".join([version, request.GET.urlencode(), get_language() or "", also])
    return {"part": {"seconds": PART_SECONDS, "key": hashlib.sha256(text.encode()).hexdigest()}}


# --- Counted or drawn once, however many processes ask at once -----------------------
# How long a process waits for another one's count before counting itself, and how
# long its claim holds should it die meanwhile.
WAIT_SECONDS = 10
LOCK_SECONDS = 60


def kept(key: str, count: Callable[[], object], *, timeout: int, wait: float = WAIT_SECONDS):
    """The value kept under ``key``; when it is missing, one process counts it while
    the others wait for it (up to ``wait`` seconds), rather than every worker
    counting the same thing at once."""
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:counting"
    if not cache.add(lock, 1, LOCK_SECONDS):
        started = time.monotonic()
        while time.monotonic() < started + wait:
            # Most counts and drawings take tens of milliseconds: look often at
            # first, then less, so that a long recount costs the cache few reads.
            time.sleep(0.005 if time.monotonic() < started + 0.05 else 0.02)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = count()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


register = Library()


class KeptNode(CacheNode):
    """``{% cache %}`` whose part, when missing, one process draws while the others wait."""

    # A page drawn by another process comes within a second; past it, draw it here.
    WAIT_SECONDS = 2

    def render(self, context) -> str:
        seconds = int(self.expire_time_var.resolve(context))
        vary_on = [var.resolve(context) for var in self.vary_on]
        key = make_template_fragment_key(self.fragment_name, vary_on)
        return kept(
            key, lambda: self.nodelist.render(context), timeout=seconds, wait=self.WAIT_SECONDS
        )


@register.tag("kept")
def do_kept(parser, token) -> KeptNode:
    """``{% kept seconds "name" key… %}…{% endkept %}``: as ``{% cache %}``, but a part
    that every worker asks for at once (a report right after a check-in) is drawn once."""
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 3:
        raise TemplateSyntaxError(f"'{bits[0]}' takes at least two arguments.")
    return KeptNode(
        nodelist,
        parser.compile_filter(bits[1]),
        bits[2],
        [parser.compile_filter(bit) for bit in bits[3:]],
        None,
    )
