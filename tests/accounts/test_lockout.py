"""Wrong passwords typed elsewhere slow an account but never lock its owner out."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import lockout
from audit.models import AuditAction, AuditEntry
from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.20"


def log_in(address: str, email: str, password: str, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client, client.post("/account/login/", {"login": email, "password": password})


def refused_for_too_many(response) -> bool:
    return response.status_code in (200, 429) and "Trop de tentatives" in response.content.decode()


def test_a_hundred_wrong_passwords_elsewhere_leave_the_owner_in(secretariat):
    for n in range(100):
        log_in(ATTACKER, secretariat.email, f"wrong-{n}")
    owner, response = log_in(OWNER, secretariat.email, PASSWORD)
    assert response.url == "/account/2fa/authenticate/"
    response = owner.post("/account/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    assert owner.get("/workshops/").status_code == 200


def test_one_address_is_refused_after_five_failures_on_one_account(secretariat, representative):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    answers = [log_in(ATTACKER, secretariat.email, f"wrong-{n}", attacker)[1] for n in range(6)]
    assert [refused_for_too_many(answer) for answer in answers] == [False] * 5 + [True]
    # Refused there even with the right password ...
    _client, response = log_in(ATTACKER, secretariat.email, PASSWORD, attacker)
    assert refused_for_too_many(response)
    # ... while another account from that address is not held.
    _client, response = log_in(ATTACKER, representative.email, PASSWORD)
    assert response.status_code == 302


def test_failures_from_many_addresses_slow_the_account(secretariat):
    for n in range(lockout.FAILURES_BEFORE_SLOWING):
        log_in(f"10.0.{n}.1", secretariat.email, f"wrong-{n}")
    # A new address gets one try while the account is slowed: a second is refused.
    newcomer = Client(REMOTE_ADDR="10.9.9.9")
    _client, first = log_in("10.9.9.9", secretariat.email, "wrong-again", newcomer)
    assert not refused_for_too_many(first)
    _client, second = log_in("10.9.9.9", secretariat.email, "wrong-once-more", newcomer)
    assert refused_for_too_many(second)
    # The owner, from their own address, still gets in with the password and the code.
    owner, response = log_in(OWNER, secretariat.email, PASSWORD)
    assert response.url == "/account/2fa/authenticate/"
    assert (
        owner.post("/account/2fa/authenticate/", {"code": current_totp_code()}).status_code == 302
    )


def test_the_owner_is_told_once_in_their_language(
    secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    secretariat.language = "en"
    secretariat.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3 * lockout.FAILURES_BEFORE_SLOWING):
            log_in(f"10.1.{n}.1", secretariat.email, f"wrong-{n}")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [secretariat.email]
    assert message.subject.endswith("Failed attempts to log in to your account")
    assert f"{lockout.FAILURES_BEFORE_SLOWING} times within the hour" in message.body


def test_every_lock_is_audited_once(secretariat):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for n in range(12):
        log_in(ATTACKER, secretariat.email, f"wrong-{n}", attacker)
    locks = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_LOCKED)
    assert [(entry.data["account"], entry.data["scope"]) for entry in locks] == [
        (secretariat.pk, "address")
    ]
    for n in range(lockout.FAILURES_BEFORE_SLOWING):
        log_in(f"10.2.{n}.1", secretariat.email, f"wrong-{n}")
    slowed = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_SLOWED)
    assert [entry.data["failures"] for entry in slowed] == [lockout.FAILURES_BEFORE_SLOWING]


def test_a_forged_forwarded_address_does_not_escape_the_limit(secretariat, settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    answers = [
        log_in(
            ATTACKER,
            secretariat.email,
            f"wrong-{n}",
            Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.3.{n}.1"),
        )[1]
        for n in range(6)
    ]
    assert refused_for_too_many(answers[-1])
