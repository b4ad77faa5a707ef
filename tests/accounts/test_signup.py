"""Signing up with an e-mail address that must be confirmed before logging in."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, make_user
from tests.tasks import as_committed

pytestmark = pytest.mark.django_db


PASSWORD_TYPED = "Sahel-Bamako-2022"


def sign_up(client, email: str):
    with as_committed():
        return client.post(
            "/account/signup/",
            {"email": email, "password1": PASSWORD_TYPED, "password2": PASSWORD_TYPED},
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


def confirmation_path(mail) -> str:
    return re.search(r"https?://[^/\s]+(/account/confirm-email/\S+/)", mail.body).group(1)


def test_a_newcomer_confirming_in_the_same_browser_lands_on_the_membership_page(client, mailoutbox):
    sign_up(client, "awa@example.org")
    response = client.post(confirmation_path(mailoutbox[0]), follow=True)
    assert response.redirect_chain[-1][0] == "/membership/"
    assert "Présenter mon organisation" in response.content.decode()


def test_a_newcomer_confirming_in_another_browser_logs_in_and_lands_on_the_membership_page(
    client, mailoutbox
):
    sign_up(Client(), "awa@example.org")
    response = client.post(confirmation_path(mailoutbox[0]))
    assert response.url == "/account/login/"
    response = client.post(response.url, {"login": "awa@example.org", "password": PASSWORD_TYPED})
    assert response.url == "/membership/"
