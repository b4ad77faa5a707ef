"""No dead ends: a new person is led to describe the organisation, a registered one
leads to its representatives, a refused invitation says why, an unknown filter is said."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from members import services
from tests.factories import PASSWORD, make_application, make_organisation, make_user
from tests.workshops.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_new_person_signing_in_lands_on_the_page_that_asks_to_describe_the_organisation(
    client,
):
    make_user("awa@example.org")
    response = client.post(
        reverse("account_login"), {"login": "awa@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("members:mine")
    page = client.get(response.url).content.decode()
    assert f'href="{reverse("members:create")}"' in page


def test_the_secretariat_signing_in_lands_on_the_home_page(client):
    make_user("clerk@example.org", role="secretariat", second_factor=False)
    response = client.post(
        reverse("account_login"), {"login": "clerk@example.org", "password": PASSWORD}
    )
    assert response.url == reverse("home")


def test_inviting_yourself_is_refused_with_the_reason(client, representative, mailoutbox):
    make_application(representative, name="Réseau Paix Kayes")
    client.force_login(representative)
    response = client.post(reverse("members:invite"), {"email": "Representative@example.org"})
    assert (
        "C&#x27;est votre propre adresse\u00a0: vous représentez déjà" in response.content.decode()
    )
    assert mailoutbox == []


def test_inviting_a_representative_of_another_organisation_is_refused_without_naming_it(
    client, representative, organisation_a, other_representative, organisation_b, mailoutbox
):
    client.force_login(representative)
    response = client.post(reverse("members:invite"), {"email": other_representative.email})
    page = response.content.decode()
    assert "représente déjà une autre organisation" in page
    assert organisation_b.name not in page
    assert mailoutbox == []


def test_a_duplicate_organisation_offers_to_ask_its_representatives_who_get_the_address(
    client, representative, organisation_a, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = make_user("fanta@example.org")
    client.force_login(newcomer)
    fields = {"name": "reseau a", "acronym": "", "kind": "ngo", "region": "segou"}
    page = client.post(reverse("members:create"), fields).content.decode()
    assert "Demander une invitation à ses représentant·es" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:ask-for-invitation"), {"name": "reseau a"})
    assert response.url == reverse("members:mine")
    (request,) = mailoutbox
    assert request.to == [representative.email]
    assert "fanta@example.org" in request.body
    assert "/membership/invite/?email=fanta%40example.org" in request.body
    shown = client.get(response.url).content.decode()
    assert "Votre demande est envoyée aux représentant·es de «\u00a0Réseau A (RA)\u00a0»" in shown
    assert representative.email not in shown
    entry = AuditEntry.objects.get(action=AuditAction.INVITATION_REQUESTED)
    assert entry.actor == newcomer


def test_requests_for_an_invitation_are_limited_per_organisation(client, organisation_a):
    for number in range(services.INVITATIONS_PER_ADDRESS):
        services.ask_for_invitation(organisation_a, by=make_user(f"asker{number}@example.org"))
    client.force_login(make_user("one.more@example.org"))
    response = client.post(reverse("members:ask-for-invitation"), {"name": "Réseau A"}, follow=True)
    assert "a reçu 3 demandes aujourd&#x27;hui" in response.content.decode()


def test_an_organisation_nobody_represents_sends_the_asker_to_the_secretariat(client):
    make_organisation("Union Nationale des Travailleurs du Mali", "UNTM")
    client.force_login(make_user("fanta@example.org"))
    fields = {"name": "UNTM", "acronym": "", "kind": "ngo", "region": "segou"}
    page = client.post(reverse("members:create"), fields).content.decode()
    assert "le secrétariat peut vous dire qui contacter" in page
    assert "Demander une invitation" not in page


def test_an_unknown_region_in_the_directory_is_said_and_lists_nothing(client):
    make_organisation("Réseau Listé", membership_status="member", listed_in_directory=True)
    page = client.get(reverse("members:directory"), {"region": "nowhere"}).content.decode()
    assert "«\u00a0nowhere\u00a0» n&#x27;est pas une région connue." in page
    assert "Réseau Listé" not in page


def test_an_unknown_region_in_a_report_is_said(client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("reports:set"), {"region": "nowhere"}).content.decode()
    assert "«\u00a0nowhere\u00a0» n&#x27;est pas une région connue." in page


def test_a_people_search_that_cannot_be_read_is_said_and_finds_nobody(client, secretariat):
    make_person("Kadiatou Sangaré")
    client.force_login(secretariat)
    page = client.get(reverse("workshops:people"), {"q": "x" * 101}).content.decode()
    assert 'role="alert"' in page
    assert "Kadiatou Sangaré" not in page
