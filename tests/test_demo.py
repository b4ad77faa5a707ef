"""`make run` loads demo accounts, one per role, and only in a demo database."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User
from audit.models import AuditEntry
from members.models import Application, Organisation

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_created_once_and_printed(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Organisation.objects.count(), AuditEntry.objects.count())
    call_command("load_demo")

    assert (
        User.objects.count(),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert "demo-acrss-2022" in first
    assert "committee5@example.org" in first
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="fes@example.org").groups.get().name == "partner"
    assert User.objects.filter(groups__name="committee").count() == 5
    assert User.objects.get(email="representative@example.org").groups.count() == 0


def test_each_demo_account_can_log_in(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    for email, _name, _role in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
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


def test_demo_organisations_show_every_state_of_membership(settings):
    settings.DEBUG = True
    call_command("load_demo")
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "submitted",
        "resubmitted",
        "more-information",
        "approved",
        "rejected",
    }
    assert Organisation.objects.members().count() >= 6
    assert Organisation.objects.filter(membership_status="suspended").exists()
    representative = User.objects.get(email="representative@example.org")
    assert representative.representation.organisation.applications.get().status == (
        "more-information"
    )
    assert Application.objects.filter(status="submitted", votes__isnull=False).exists()
