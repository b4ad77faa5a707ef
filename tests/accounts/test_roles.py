"""The secretariat gives roles; every change is audited; staff need a second factor."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditAction, AuditEntry
from members.models import Representative
from tests.conftest import SignedInClient
from tests.factories import PASSWORD, make_organisation, make_user

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
    person.refresh_from_db()
    assert person.partner_organisation == fes
    assert not Representative.objects.filter(user=person).exists()


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
    person.refresh_from_db()
    assert person.partner_organisation == dcaf
    assert AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED).count() == 2


def test_a_partner_cannot_edit_its_funders_record(client, fes_partner):
    client.force_login(fes_partner)
    assert client.get("/membership/organisation/edit/").status_code == 404
    assert client.get("/membership/documents/add/").status_code == 404
    assert "Mon organisation" not in client.get("/").content.decode()


def test_a_partner_is_never_a_representative(client):
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    partner = make_user("claudia@example.org", role="partner", partner_organisation=fes)
    client.force_login(partner)
    page = client.get("/membership/").content.decode()
    assert "Friedrich-Ebert-Stiftung" not in page
    profile = {"name": "Réseau des Femmes de Kita", "kind": "women", "region": "kita"}
    response = client.post("/membership/organisation/new/", profile)
    assert "Vous représentez déjà une organisation." in response.content.decode()
    assert not Representative.objects.filter(user=partner).exists()


def test_a_representative_cannot_be_made_a_partner(client, secretariat, representative):
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    organisation = make_organisation("Réseau Paix Kayes", "RPK")
    Representative.objects.create(user=representative, organisation=organisation)
    client.force_login(secretariat)
    response = client.post(
        "/accounts/roles/",
        {"email": representative.email, "roles": ["partner"], "partner_organisation": fes.pk},
    )
    assert "représente déjà Réseau Paix Kayes" in response.content.decode()
    representative.refresh_from_db()
    assert representative.partner_organisation is None
    assert not representative.groups.exists()


def test_taking_back_the_partner_role_drops_the_funder(client, secretariat):
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    partner = make_user("claudia@example.org", role="partner", partner_organisation=fes)
    client.force_login(secretariat)
    client.post("/accounts/roles/", {"email": partner.email, "roles": []})
    partner.refresh_from_db()
    assert partner.partner_organisation is None
    entry = AuditEntry.objects.get(action=AuditAction.ROLES_CHANGED)
    assert entry.data["partner_organisation_before"] == fes.pk


def test_taking_back_a_role_takes_effect_on_the_next_page(client, secretariat, committee_member):
    member = SignedInClient()
    member.force_login(committee_member)
    assert member.get("/applications/").status_code == 200
    client.force_login(secretariat)
    client.post("/accounts/roles/", {"email": committee_member.email, "roles": []})
    assert member.get("/applications/").status_code in (403, 404)


def test_removing_the_second_factor_takes_effect_on_the_next_page(client, committee_member):
    client.force_login(committee_member)
    assert client.get("/applications/").status_code == 200
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    client.post("/account/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=committee_member, type="totp").exists()
    response = client.get("/applications/")
    assert (response.status_code, response.url) == (302, "/account/2fa/totp/activate/")


def test_a_signed_in_page_asks_the_database_for_neither_roles_nor_second_factor(
    client, committee_member
):
    client.force_login(committee_member)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    tables = " ".join(query["sql"] for query in queries)
    assert "auth_user_groups" not in tables
    assert "mfa_authenticator" not in tables
