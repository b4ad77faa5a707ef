"""Sessions of accounts that see personal data end after 2 idle hours and after
12 hours, whatever "remember me" said; sign-ins and second-factor changes are
audited without the address anyone typed."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator

from accounts.middleware import SEEN_AT, SIGNED_IN_AT
from audit.models import AuditAction, AuditEntry
from tests.conftest import SignedInClient
from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db
HOUR = 3600


def shift_session(client, *, signed_in: float, seen: float) -> None:
    """Pretend the session signed in and was last used so many seconds ago."""
    session = client.session
    session[SIGNED_IN_AT] = time.time() - signed_in
    session[SEEN_AT] = time.time() - seen
    session.save()


def test_a_privileged_session_ends_after_two_idle_hours(client, secretariat):
    client.force_login(secretariat)
    shift_session(client, signed_in=2 * HOUR + 5, seen=2 * HOUR + 5)
    response = client.get("/workshops/new/")
    assert response.status_code == 302
    assert response.url == "/account/login/?next=/workshops/new/"
    assert "_auth_user_id" not in client.session


def test_a_privileged_session_in_use_goes_on(client, secretariat):
    client.force_login(secretariat)
    shift_session(client, signed_in=3 * HOUR, seen=HOUR)
    assert client.get("/workshops/new/").status_code == 200
    # The page counted as use: the idle clock starts again.
    assert time.time() - client.session[SEEN_AT] < 60


def test_a_privileged_session_ends_after_twelve_hours_even_in_use(client, committee_member):
    client.force_login(committee_member)
    shift_session(client, signed_in=12 * HOUR + 5, seen=60)
    response = client.get("/applications/")
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


def test_remember_me_gives_a_privileged_account_no_longer_cookie(client, secretariat):
    client.post(
        "/account/login/", {"login": secretariat.email, "password": PASSWORD, "remember": "on"}
    )
    client.post("/account/2fa/authenticate/", {"code": current_totp_code()})
    response = client.get("/workshops/new/")
    assert response.status_code == 200
    assert client.cookies["sessionid"]["max-age"] <= 2 * HOUR


def test_a_representative_keeps_a_remembered_session(client, representative):
    client.post(
        "/account/login/",
        {"login": representative.email, "password": PASSWORD, "remember": "on"},
    )
    assert client.cookies["sessionid"]["max-age"] > 7 * 24 * HOUR
    assert client.get("/membership/").status_code == 200


def test_sign_in_failure_and_sign_out_are_audited_with_ids_only(client, secretariat):
    client.post("/account/login/", {"login": "Secretariat@example.org", "password": "wrong"})
    client.post("/account/login/", {"login": "nobody@example.org", "password": "wrong"})
    client.post("/account/login/", {"login": secretariat.email, "password": PASSWORD})
    client.post("/account/2fa/authenticate/", {"code": "000000"})
    client.post("/account/2fa/authenticate/", {"code": current_totp_code()})
    client.post("/account/logout/")
    entries = list(AuditEntry.objects.order_by("id").values("action", "actor", "data"))
    assert entries == [
        {"action": AuditAction.SIGN_IN_FAILED, "actor": None, "data": {"account": secretariat.pk}},
        {"action": AuditAction.SIGN_IN_FAILED, "actor": None, "data": {"account": None}},
        {
            "action": AuditAction.SECOND_FACTOR_FAILED,
            "actor": None,
            "data": {"account": secretariat.pk},
        },
        {"action": AuditAction.SIGNED_IN, "actor": secretariat.pk, "data": {}},
        {"action": AuditAction.SIGNED_OUT, "actor": secretariat.pk, "data": {}},
    ]
    assert "nobody@example.org" not in str(entries)


def test_removing_the_second_factor_is_audited(client, representative):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import TOTP_SECRET

    TOTP.activate(representative, TOTP_SECRET)
    client.force_login(representative)
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=representative).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_REMOVED)
    assert (entry.actor, entry.data) == (representative, {"kind": "totp"})


def test_a_new_password_ends_the_accounts_other_sessions(client, representative):
    other_device = SignedInClient()
    other_device.force_login(representative)
    assert other_device.get("/membership/").status_code == 200
    client.force_login(representative)
    response = client.post(
        "/account/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-password-2",
            "password2": "another-long-password-2",
        },
    )
    assert response.status_code == 302
    assert client.get("/membership/").status_code == 200
    assert other_device.get("/membership/").status_code == 302


def test_a_deactivated_account_is_signed_out_at_its_next_page(client, secretariat, representative):
    from accounts.services import set_account_active

    member = SignedInClient()
    member.force_login(representative)
    assert member.get("/membership/").status_code == 200
    set_account_active(representative, active=False, by=secretariat)
    assert member.get("/membership/").status_code == 302
