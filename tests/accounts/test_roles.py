"""The secretariat gives roles; every change is audited; staff need a second factor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditAction, AuditEntry
from members.models import Representative
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_the_secretariat_makes_someone_a_committee_member(client, secretariat):
    person = make_user("oumar@example.org")
    client.force_login(secretariat)
    response = client.post(
        "/accounts/roles/", {"email": "Oumar@example.org", "roles": ["committee"]}
    )
    assert response.status_code == 302
    assert list(person.groups.values_list("name", flat=True)) == ["committee"]
    entry = AuditEntry.objects.get(action=AuditAction.ROLES_CHANGED)
    assert (entry.actor, entry.data["before"], entry.data["after"]) == (
        secretariat,
        [],
        ["committee"],
    )


def test_a_partner_needs_its_funding_organisation(client, secretariat):
    person = make_user("claudia@example.org")
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    client.force_login(secretariat)
    response = client.post("/accounts/roles/", {"email": person.email, "roles": ["partner"]})
    assert "organisation de financement" in response.content.decode()
    assert not person.groups.exists()
    client.post(
        "/accounts/roles/",
        {"email": person.email, "roles": ["partner"], "partner_organisation": fes.pk},
    )
    assert Representative.objects.get(user=person).organisation == fes


def test_an_unknown_address_is_refused_clearly(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        "/accounts/roles/", {"email": "nobody@example.org", "roles": ["committee"]}
    )
    assert "Aucun compte n&#x27;a cette adresse." in response.content.decode()


def test_nothing_changed_writes_nothing(client, secretariat, committee_member):
    client.force_login(secretariat)
    client.post("/accounts/roles/", {"email": committee_member.email, "roles": ["committee"]})
    assert not AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED).exists()


def test_staff_without_a_second_factor_must_set_one_up_first(client, settings):
    settings.ACRSS_REQUIRE_MFA = True
    member = make_user("new.member@example.org")
    member.groups.add(Group.objects.get(name="committee"))
    client.force_login(member)
    response = client.get("/applications/")
    assert response.status_code == 302
    assert response.url == "/account/2fa/totp/activate/"
    # The set-up page itself is reachable (after confirming the password).
    assert client.get("/account/2fa/totp/activate/", follow=True).status_code == 200


def test_in_the_demo_staff_are_only_reminded(client, settings):
    settings.ACRSS_REQUIRE_MFA = False
    member = make_user("new.member@example.org")
    member.groups.add(Group.objects.get(name="committee"))
    client.force_login(member)
    response = client.get("/applications/")
    assert response.status_code == 200
    assert "activez l'authentification à deux facteurs" in response.content.decode()


def test_representatives_need_no_second_factor(client, representative, settings):
    settings.ACRSS_REQUIRE_MFA = True
    client.force_login(representative)
    assert client.get("/membership/").status_code == 200


def test_the_secretariat_cannot_lock_itself_out(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/accounts/roles/", {"email": secretariat.email, "roles": []})
    assert "votre propre rôle" in response.content.decode()
    assert secretariat.groups.filter(name="secretariat").exists()


def test_moving_a_partner_to_another_funder_is_recorded(client, secretariat):
    person = make_user("claudia@example.org")
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    dcaf = make_organisation("DCAF", "", kind="partner")
    client.force_login(secretariat)
    for funder in (fes, dcaf):
        client.post(
            "/accounts/roles/",
            {"email": person.email, "roles": ["partner"], "partner_organisation": funder.pk},
        )
    assert Representative.objects.get(user=person).organisation == dcaf
    assert AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED).count() == 2


def test_a_partner_cannot_edit_its_funders_record(client):
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    partner = make_user("claudia@example.org", role="partner")
    Representative.objects.create(user=partner, organisation=fes)
    client.force_login(partner)
    assert client.get("/membership/organisation/edit/").status_code == 404
    assert client.get("/membership/documents/add/").status_code == 404
    assert "Mon organisation" not in client.get("/").content.decode()
