"""The second factor is asked of every session of an account that sees personal
data, the admin's included, and guessing passwords is throttled."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, current_totp_code

pytestmark = pytest.mark.django_db


def log_in_with_password(client, email: str, password: str = PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def test_the_right_password_without_the_code_does_not_reach_the_admin(client, admin_user):
    response = log_in_with_password(client, admin_user.email)
    assert response.url == "/account/2fa/authenticate/"
    # Every way into the admin ends on the page that asks for the code.
    for url in ("/admin/", "/admin/audit/auditentry/", "/admin/login/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == "/account/2fa/authenticate/"
        assert "Administration de Django" not in response.content.decode()


def test_the_password_and_the_code_reach_the_admin(client, admin_user):
    log_in_with_password(client, admin_user.email)
    response = client.post("/account/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Administration de Django" in response.content.decode()


def test_the_admins_own_login_form_checks_no_password(client, admin_user):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_hundred_wrong_passwords_are_throttled(client, admin_user):
    answers = [
        log_in_with_password(client, admin_user.email, f"wrong-{n}").content.decode()
        for n in range(100)
    ]
    # allauth's message on the form, or our 429 page: both say so.
    throttled = [n for n, page in enumerate(answers) if "Trop de tentatives" in page]
    assert throttled
    assert throttled[0] <= 10
    # Throttled, even the right password is refused for now.
    response = log_in_with_password(client, admin_user.email)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_session_opened_without_the_code_is_asked_for_it(committee_member):
    # A session the sign-in form did not open (or opened before the second
    # factor was set up) has passed no code.
    raw = Client()
    raw.force_login(committee_member)
    response = raw.get("/applications/")
    assert response.status_code == 302
    assert response.url == "/account/2fa/reauthenticate/?next=%2Fapplications%2F"
    response = raw.post(response.url, {"code": current_totp_code()})
    assert response.url == "/applications/"
    assert raw.get("/applications/").status_code == 200


def test_a_representative_needs_no_second_factor(representative):
    raw = Client()
    raw.force_login(representative)
    assert raw.get("/membership/").status_code == 200
