"""How many self check-ins one day's link accepts from one phone and one address.

A phone is known by a signed cookie the page sets on the first visit. A whole
workshop may share one network address (the venue's Wi-Fi, a mobile operator's
gateway), so the ceiling per address is high; a phone that keeps no cookie
shares a small allowance with the other such phones of its address.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from common.ratelimit import allow, client_address

DEVICE_COOKIE = "acrss_device"
DEVICE_SALT = "checkin.device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
DAY = 24 * 3600
HOUR = 3600


def device_of(request: HttpRequest) -> str | None:
    """The phone's own mark, when it sent back the one we signed."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def mark_device(request: HttpRequest, response: HttpResponse) -> None:
    """Give a phone its mark on its first visit."""
    if device_of(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_SALT,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def allow_self_check_in(request: HttpRequest, workshop_pk: int, day: datetime.date) -> bool:
    """Count one more check-in by this day's link from this phone and this address;
    False past either limit."""
    link = f"{workshop_pk}:{day.isoformat()}"
    address = client_address(request)
    device = device_of(request) or f"none:{address}"
    by_device = allow(
        "self-check-in-device",
        f"{link}:{device}",
        limit=settings.ACRSS_SELF_CHECK_IN_PER_DEVICE,
        window=DAY,
    )
    by_address = allow(
        "self-check-in-address",
        f"{link}:{address}",
        limit=settings.ACRSS_SELF_CHECK_IN_PER_ADDRESS,
        window=HOUR,
    )
    return by_device and by_address
