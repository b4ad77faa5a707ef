"""Counters that limit how often something may happen, and the client's address.

A fixed window: the window's start is part of the counter's key, so a count
can never outlive its window, whatever the store does to expiry times (Django's
database cache resets a key's timeout on every `incr`, so a daily count kept
there lasted five minutes).

The count lives in Redis when the shared cache is Redis and answers, and in the
database otherwise (the database cache, local memory in the demo, or Redis
unreachable): one atomic `UPDATE` per event, so that two processes never lose a
count. A window that Redis starts after an outage takes over what the database
counted meanwhile: an outage never hands out a fresh allowance.
"""

from __future__ import annotations

import datetime
import hashlib
import time

from allauth.core.internal.httpkit import get_client_ip
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

# Seconds a window's counter is kept past the window's end, for clocks a little apart.
GRACE = 60


def client_address(request: HttpRequest) -> str:
    """The address the request came from: the one the last of our trusted proxies saw
    (`ACRSS_TRUSTED_PROXIES`), never what the client wrote in X-Forwarded-For."""
    return get_client_ip(request) or ""


def _key(scope: str, subject: str, window: int, now: float) -> tuple[str, float]:
    start = int(now // window) * window
    digest = hashlib.sha256(subject.encode()).hexdigest()[:40]
    return f"ratelimit:{scope}:{window}:{start}:{digest}", start + window


def _count_in_redis(key: str, ends_at: float, now: float) -> int | None:
    """One more in Redis, or None when the cache is not Redis or does not answer."""
    counter = getattr(cache, "redis_counter", None)
    if counter is None:
        return None
    return counter(key, ttl=int(ends_at - now) + GRACE, start=lambda: _count_in_database(key))


def _count_in_database(key: str) -> int:
    """What the database counted in this window (0 when nothing)."""
    from common.models import RateLimitCount

    found = RateLimitCount.objects.filter(key=key).values_list("count", flat=True).first()
    return found or 0


def _increment_in_database(key: str, ends_at: float) -> int:
    from common.models import RateLimitCount

    expires = datetime.datetime.fromtimestamp(ends_at + GRACE, tz=datetime.UTC)
    with transaction.atomic():
        if RateLimitCount.objects.filter(key=key).update(count=F("count") + 1):
            return _count_in_database(key)
        try:
            with transaction.atomic():
                RateLimitCount.objects.create(key=key, count=1, expires_at=expires)
        except IntegrityError:  # another process started the window first
            RateLimitCount.objects.filter(key=key).update(count=F("count") + 1)
            return _count_in_database(key)
        # A new window: the ones past their end go.
        RateLimitCount.objects.filter(expires_at__lt=timezone.now()).delete()
        return 1


def count_event(scope: str, subject: str, *, window: int) -> int:
    """Count one more event of `scope` for `subject` in the current window; the new count."""
    now = time.time()
    key, ends_at = _key(scope, subject, window, now)
    counted = _count_in_redis(key, ends_at, now)
    if counted is None:
        counted = _increment_in_database(key, ends_at)
    return counted


def allow(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one more event; False once the window holds more than `limit`."""
    return count_event(scope, subject, window=window) <= limit


def counted(scope: str, subject: str, *, window: int) -> int:
    """Events of `scope` for `subject` in the current window, without counting one."""
    now = time.time()
    key, _ends_at = _key(scope, subject, window, now)
    reader = getattr(cache, "redis_count", None)
    if reader is not None:
        found = reader(key)
        if found:
            return found
    return _count_in_database(key)
