"""One counter for every limit: its window holds on Redis, on the database cache and
in local memory alike, and no count outlives its window or is cut short by it."""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine

from common.models import RateLimitCount
from common.ratelimit import allow, counted

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL")
# 10:00 UTC: a day's window (midnight to midnight UTC) has fourteen hours left.
MORNING = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
DAY = 24 * 3600

BACKENDS = {
    "local memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database cache": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "acrss_cache",
    },
    "redis": {
        "BACKEND": "common.rediscache.RedisCache",
        "LOCATION": REDIS_URL or "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "acrss-ratelimit-test",
        "FALLBACK": "database",
    },
}


@pytest.fixture(params=list(BACKENDS))
def backend(request, settings):
    if request.param == "redis" and not REDIS_URL and not os.environ.get("CI"):
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    settings.CACHES = {"default": BACKENDS[request.param], "database": BACKENDS["database cache"]}
    from django.core.cache import cache

    cache.clear()
    return request.param


def test_a_daily_limit_still_holds_hours_later(backend):
    with time_machine.travel(MORNING, tick=False) as traveller:
        assert [allow("test", "ana", limit=3, window=DAY) for _ in range(3)] == [True] * 3
        # The database cache's incr used to reset the timeout: five minutes, not a day.
        traveller.shift(datetime.timedelta(hours=6))
        assert not allow("test", "ana", limit=3, window=DAY)
        assert counted("test", "ana", window=DAY) == 4


def test_the_next_window_starts_afresh(backend):
    with time_machine.travel(MORNING, tick=False) as traveller:
        for _ in range(4):
            allow("test", "ana", limit=3, window=3600)
        assert not allow("test", "ana", limit=3, window=3600)
        traveller.shift(datetime.timedelta(hours=1))
        assert allow("test", "ana", limit=3, window=3600)


def test_each_subject_and_scope_counts_apart(backend):
    with time_machine.travel(MORNING, tick=False):
        assert allow("test", "ana", limit=1, window=DAY)
        assert not allow("test", "ana", limit=1, window=DAY)
        assert allow("test", "bakary", limit=1, window=DAY)
        assert allow("other", "ana", limit=1, window=DAY)


def test_windows_past_their_end_leave_the_database(settings):
    settings.CACHES = {"default": BACKENDS["database cache"]}
    with time_machine.travel(MORNING, tick=False) as traveller:
        allow("test", "ana", limit=1, window=3600)
        traveller.shift(datetime.timedelta(hours=3))
        allow("test", "bakary", limit=1, window=3600)
    assert RateLimitCount.objects.count() == 1
