"""A second-factor code, once accepted, is refused again even after the cache forgets
everything (a restart or a flush of Redis)."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from accounts.models import UsedSecondFactorCode
from accounts.secondfactor import mark_code_used
from tests.factories import PASSWORD, TOTP_SECRET, current_totp_code

pytestmark = pytest.mark.django_db


def sign_in(user, code: str) -> int:
    client = Client()
    client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    return client.post("/account/2fa/authenticate/", {"code": code}).status_code


def test_a_used_code_is_refused_after_the_cache_is_emptied(secretariat):
    code = current_totp_code()
    assert sign_in(secretariat, code) == 302
    cache.clear()
    assert sign_in(secretariat, code) == 200  # the form again, with its error
    assert UsedSecondFactorCode.objects.filter(user=secretariat).count() == 1


def test_the_record_of_old_codes_is_pruned(secretariat):
    code = current_totp_code()
    assert sign_in(secretariat, code) == 302
    with time_machine.travel(datetime.timedelta(minutes=10)):
        totp = Authenticator.objects.get(user=secretariat, type="totp").wrap()
        assert mark_code_used(totp, "000000")
    assert list(UsedSecondFactorCode.objects.values_list("code", flat=True)) == ["000000"]


def code_of_window(offset: int) -> str:
    """The code an authenticator showed `offset` 30-second windows from now."""
    current_totp_code()  # waits out a window's last seconds
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def test_a_code_from_a_phone_half_a_minute_off_is_accepted_once(secretariat):
    code = code_of_window(-1)
    assert sign_in(secretariat, code) == 302
    assert sign_in(secretariat, code) == 200


def test_a_code_two_windows_old_is_refused(secretariat):
    assert sign_in(secretariat, code_of_window(-2)) == 200
