"""Self check-in is limited per phone and per address of one day's link: a whole
workshop behind one carrier address checks in, a flood from one phone does not."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from checkin.links import make_token
from checkin.models import SelfCheckIn
from tests.checkin.test_self_check_in import DETAILS, ON_SECOND_DAY, SECOND
from tests.workshops.factories import make_workshop

pytestmark = pytest.mark.django_db

CARRIER = "41.73.100.7"


@pytest.fixture
def workshop():
    return make_workshop(
        "Forum de Kati", start_date=datetime.date(2022, 1, 26), city="Kati", status="held"
    )


@pytest.fixture(autouse=True)
def _second_day_of_the_workshop():
    with time_machine.travel(ON_SECOND_DAY, tick=False):
        yield


def link(workshop) -> str:
    return f"/check-in/{make_token(workshop.pk, SECOND)}/"


def phone(address: str = CARRIER, **headers) -> Client:
    """A participant's phone: it opens the link (and keeps its cookie) before sending."""
    return Client(REMOTE_ADDR=address, **headers)


def check_in(device: Client, workshop, name: str) -> int:
    return device.post(link(workshop), {**DETAILS, "full_name": name}).status_code


def test_a_hundred_phones_behind_one_carrier_address_all_check_in(workshop):
    refused = []
    for n in range(100):
        device = phone()
        assert device.get(link(workshop)).status_code == 200
        if check_in(device, workshop, f"Participant {n}") != 302:
            refused.append(n)
    assert refused == []
    assert SelfCheckIn.objects.count() == 100


def test_a_flood_from_one_phone_is_stopped_after_a_few(workshop, settings):
    device = phone()
    device.get(link(workshop))
    answers = [check_in(device, workshop, f"Faux {n}") for n in range(20)]
    allowed = settings.ACRSS_SELF_CHECK_IN_PER_DEVICE
    assert answers == [302] * allowed + [429] * (20 - allowed)
    assert SelfCheckIn.objects.count() == allowed
    # Another phone behind the same address is not held back.
    neighbour = phone()
    neighbour.get(link(workshop))
    assert check_in(neighbour, workshop, "Awa Traoré") == 302


def test_a_flood_that_throws_its_cookie_away_is_stopped_after_a_few(workshop, settings):
    answers = [check_in(phone(), workshop, f"Faux {n}") for n in range(20)]
    assert answers.count(302) == settings.ACRSS_SELF_CHECK_IN_PER_DEVICE
    assert answers[-1] == 429


def test_the_refusal_sends_the_participant_to_the_door(workshop, settings):
    settings.ACRSS_SELF_CHECK_IN_PER_DEVICE = 1
    device = phone()
    device.get(link(workshop))
    check_in(device, workshop, "Une")
    response = device.post(link(workshop), DETAILS)
    assert response.status_code == 429
    assert "Trop de pointages depuis ce téléphone" in response.content.decode()


def test_one_address_has_a_ceiling_per_hour(workshop, settings):
    settings.ACRSS_SELF_CHECK_IN_PER_ADDRESS = 3
    answers = []
    for n in range(4):
        device = phone()
        device.get(link(workshop))
        answers.append(check_in(device, workshop, f"Participant {n}"))
    assert answers == [302, 302, 302, 429]
    elsewhere = phone("10.0.0.2")
    elsewhere.get(link(workshop))
    assert check_in(elsewhere, workshop, "Awa Traoré") == 302
    with time_machine.travel(ON_SECOND_DAY + datetime.timedelta(hours=1), tick=False):
        device = phone()
        device.get(link(workshop))
        assert check_in(device, workshop, "Une heure après") == 302


def test_a_forged_forwarded_address_is_ignored_without_a_trusted_proxy(workshop, settings):
    settings.ACRSS_SELF_CHECK_IN_PER_ADDRESS = 2
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    answers = []
    for n in range(4):
        device = phone(HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
        device.get(link(workshop))
        answers.append(check_in(device, workshop, f"Participant {n}"))
    assert answers == [302, 302, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_counts(workshop, settings):
    settings.ACRSS_SELF_CHECK_IN_PER_ADDRESS = 1
    settings.ACRSS_TRUSTED_PROXIES = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    answers = []
    for forged, real in [("1.1.1.1", "10.0.0.1"), ("1.1.1.2", "10.0.0.2"), ("1.1.1.3", "10.0.0.1")]:
        device = phone(proxy, HTTP_X_FORWARDED_FOR=f"{forged}, {real}")
        device.get(link(workshop))
        answers.append(check_in(device, workshop, f"De {real} {forged}"))
    assert answers == [302, 302, 429]
