"""A second-factor code, once accepted, is refused again even after the cache forgets
everything (a restart or a flush of Redis)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client

from accounts.models import UsedSecondFactorCode
from accounts.secondfactor import mark_code_used
from tests.factories import PASSWORD, current_totp_code

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
