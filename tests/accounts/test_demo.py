"""`make run` loads demo accounts, one per role, and only in a demo database."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_created_once_and_printed(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")

    assert User.objects.count() == 9
    assert "demo-acrss-2022" in first
    assert "committee5@example.org" in first
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="fes@example.org").groups.get().name == "partner"
    assert User.objects.filter(groups__name="committee").count() == 5
    assert User.objects.get(email="representative@example.org").groups.count() == 0


def test_each_demo_account_can_log_in(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    for user in User.objects.all():
        response = client.post(
            "/account/login/", {"login": user.email, "password": "demo-acrss-2022"}
        )
        assert response.status_code == 302, user.email
        client.logout()


def test_demo_data_is_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()
