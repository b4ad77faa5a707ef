"""Visitors are sent to log in everywhere but the public pages, and the
pages that let them in (sign up, log in, reset a password) stay open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.tasks import as_committed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "account_signup",
        "account_login",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_the_pages_that_let_a_visitor_in_are_open(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_a_visitor_can_sign_up_and_confirm_the_address(client, mailoutbox):
    with as_committed():
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )
    assert response.status_code == 302
    link = next(word for word in mailoutbox[-1].body.split() if "/account/confirm-email/" in word)
    client.logout()
    assert client.get(link).status_code == 200


def test_a_private_page_sends_a_visitor_to_log_in_and_back(client):
    url = reverse("members:queue")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
