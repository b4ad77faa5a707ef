"""A counter in the cache that limits self check-ins per address and workshop."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_address(request) -> str:
    """The participant's address: behind the HTTPS proxy, the one it appended last to
    X-Forwarded-For (earlier entries are whatever the client sent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow_self_check_in(address: str, workshop_pk: int) -> bool:
    """Count one more check-in from this address for this workshop; False past the limit.

    Many participants may share one address (the venue's Wi-Fi, a mobile
    operator's gateway), so the limit is a setting, not a constant."""
    key = f"checkin:self:{workshop_pk}:{address}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= settings.ACRSS_SELF_CHECK_IN_PER_HOUR
