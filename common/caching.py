"""Pages and parts of pages kept in the shared cache: public pages whole for a
short while, for visitors only; parts of signed-in pages per state of their data."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from common.signals import counted_data_changed

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


# --- Parts of signed-in pages, drawn once per state of their data -------------------
# A long table costs tens of milliseconds to draw, the same for everyone who may
# see it. Such a part is cached under the versions of the tables it shows: a
# token per model, replaced on every save or delete of one of its rows (and on
# every change to its many-to-many links). Writes that skip the model's signals
# (bulk inserts of an import or a presence grid) all announce
# ``counted_data_changed``, which replaces the WRITES token: parts that show
# such rows include it.
WRITES = "counted-writes"
# Drawn parts of an older version are never read again; they leave the cache then.
PART_SECONDS = 3600
_VERSION_SECONDS = 7 * 24 * 3600


def _version_key(name: str) -> str:
    return f"data-version:{name}"


def _name(model_or_name) -> str:
    return model_or_name if isinstance(model_or_name, str) else model_or_name._meta.label_lower


def data_version(*models) -> str:
    """The versions of these models' rows (or WRITES), as one string for a cache key.

    Read before the rows it describes: a part drawn from rows read before a
    write is then kept under a version the write has already replaced.
    """
    keys = [_version_key(_name(model)) for model in models]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # `add`, not `set`: a version a writer has just set is never overwritten.
            cache.add(key, secrets.token_hex(8), _VERSION_SECONDS)
            found[key] = cache.get(key, "")
    return ".".join(found[key] for key in keys)


def replace_data_version(*models) -> None:
    """After a write: parts drawn under the old versions are never read again.

    Replaced at once and again when the write commits, so that a page drawn
    meanwhile from the rows as they were before the commit is not kept as new.
    """
    keys = [_version_key(_name(model)) for model in models]

    def replace() -> None:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, _VERSION_SECONDS)

    replace()
    transaction.on_commit(replace)


def track_writes(*models) -> None:
    """Replace each model's version on every save, delete and change of its links."""
    for model in models:
        uid = f"common.caching.{_name(model)}"
        post_save.connect(_written, sender=model, dispatch_uid=uid + ".saved")
        post_delete.connect(_written, sender=model, dispatch_uid=uid + ".deleted")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _links_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name
            )
    counted_data_changed.connect(_counted_write, dispatch_uid="common.caching.writes")


def _written(sender, **kwargs) -> None:
    replace_data_version(sender)


def _links_changed(sender, instance, action: str, model, **kwargs) -> None:
    if action.startswith("post_"):
        replace_data_version(type(instance), model)


def _counted_write(**kwargs) -> None:
    replace_data_version(WRITES)


def lazy_context(build: Callable[[], dict], *names: str) -> dict:
    """The values ``build`` returns, each worked out only when a template first reads
    it: a page whose part is cached under its data version never reads its rows."""
    values = SimpleLazyObject(build)
    return {name: SimpleLazyObject(lambda name=name: values[name]) for name in names}


def cached_part(request: HttpRequest, *models, also: str = "") -> dict:
    """What a template's ``{% cache part.seconds "name" part.key %}`` varies on: the
    versions of the data the part shows, the query (page, filters), the language,
    and ``also`` (whatever else the part depends on, the day say)."""
    text = "|".join([data_version(*models), request.GET.urlencode(), get_language() or "", also])
    return {"part": {"seconds": PART_SECONDS, "key": hashlib.sha256(text.encode()).hexdigest()}}
