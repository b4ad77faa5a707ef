"""Signing up with an e-mail address that must be confirmed before logging in."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_up(client, email: str):
    return client.post(
        "/account/signup/",
        {"email": email, "password1": "Sahel-Bamako-2022", "password2": "Sahel-Bamako-2022"},
    )


def test_signing_up_sends_a_confirmation_e_mail_in_french(client, mailoutbox):
    response = sign_up(client, "awa@example.org")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/account/confirm-email/" in mailoutbox[0].body
    assert "Confirmez" in mailoutbox[0].subject or "Confirm" in mailoutbox[0].subject
    assert User.objects.get(email="awa@example.org").language == "fr"


def test_an_unconfirmed_address_cannot_log_in(client, mailoutbox):
    make_user("pending@example.org", verified=False)
    response = client.post(
        "/account/login/", {"login": "pending@example.org", "password": PASSWORD}
    )
    assert response.url == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_the_same_address_in_other_capitals_makes_no_second_account(client, mailoutbox):
    """Whether an address has an account is not revealed to whoever types it."""
    make_user("awa@example.org")
    response = sign_up(client, "AWA@Example.org")
    assert response.url == "/account/confirm-email/"
    assert User.objects.count() == 1


def test_a_confirmed_person_logs_in_with_the_address(client):
    make_user("awa@example.org")
    response = client.post("/account/login/", {"login": "Awa@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
