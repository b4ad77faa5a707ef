"""A representative invites a colleague, who joins with the invited address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse

from members import services
from members.models import Representative
from members.services import MembershipError
from tests.factories import make_application, make_partner, make_user

pytestmark = pytest.mark.django_db


def invitation_link(client, representative, email: str, mailoutbox, capture) -> str:
    client.force_login(representative)
    with capture(execute=True):
        response = client.post(reverse("members:invite"), {"email": email})
    assert response.status_code == 302
    return re.search(r"/membership/join/\S+/", mailoutbox[-1].body).group(0)


def test_an_invited_colleague_joins_the_organisation(
    client, representative, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = make_application(representative, name="Réseau Paix Kayes").organisation
    link = invitation_link(
        client, representative, "Fanta@example.org", mailoutbox, django_capture_on_commit_callbacks
    )
    assert mailoutbox[-1].to == ["Fanta@example.org"]
    assert "Réseau Paix Kayes" in mailoutbox[-1].subject

    colleague = make_user("fanta@example.org")
    client.force_login(colleague)
    response = client.post(link, follow=True)
    assert "Vous représentez désormais" in response.content.decode()
    assert Representative.objects.get(user=colleague).organisation == organisation


def test_an_invitation_is_for_the_invited_address_only(
    client, representative, organisation_a, mailoutbox, django_capture_on_commit_callbacks
):
    link = invitation_link(
        client, representative, "fanta@example.org", mailoutbox, django_capture_on_commit_callbacks
    )
    intruder = make_user("intruder@example.org")
    client.force_login(intruder)
    response = client.post(link, follow=True)
    assert "envoyée à une autre adresse" in response.content.decode()
    assert not Representative.objects.filter(user=intruder).exists()


def test_partner_staff_cannot_join_an_organisation(
    client, representative, fes, mailoutbox, django_capture_on_commit_callbacks
):
    make_application(representative)
    link = invitation_link(
        client, representative, "cw@example.org", mailoutbox, django_capture_on_commit_callbacks
    )
    partner = make_partner(fes, "cw@example.org")
    client.force_login(partner)
    response = client.post(link, follow=True)
    assert "Vous représentez déjà une organisation." in response.content.decode()
    assert not Representative.objects.filter(user=partner).exists()


def test_a_forged_invitation_is_refused(organisation_a):
    colleague = make_user("fanta@example.org")
    forged = signing.dumps(
        {"organisation": organisation_a.pk, "email": colleague.email, "by": 1}, salt="another.salt"
    )
    with pytest.raises(MembershipError, match="pas valide"):
        services.accept_invitation(forged, user=colleague)
    assert not Representative.objects.filter(user=colleague).exists()


def test_an_invitation_expires_after_the_days_the_settings_give(
    client,
    representative,
    organisation_a,
    settings,
    time_machine,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.ACRSS_INVITATION_DAYS = 7
    sent = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)
    time_machine.move_to(sent, tick=False)
    link = invitation_link(
        client, representative, "fanta@example.org", mailoutbox, django_capture_on_commit_callbacks
    )
    colleague = make_user("fanta@example.org")
    client.force_login(colleague)

    time_machine.move_to(sent + dt.timedelta(days=7, minutes=1), tick=False)
    assert "Cette invitation a expiré" in client.post(link, follow=True).content.decode()
    assert not Representative.objects.filter(user=colleague).exists()

    time_machine.move_to(sent + dt.timedelta(days=6, hours=23), tick=False)
    assert "Vous représentez désormais" in client.post(link, follow=True).content.decode()
    assert Representative.objects.get(user=colleague).organisation == organisation_a


def test_a_sender_gets_ten_invitations_a_day(client, representative, mailoutbox, settings):
    make_application(representative)
    client.force_login(representative)
    for number in range(services.INVITATIONS_PER_SENDER):
        response = client.post("/membership/invite/", {"email": f"colleague{number}@example.org"})
        assert response.status_code == 302
    response = client.post("/membership/invite/", {"email": "one.more@example.org"})
    assert response.status_code == 200
    assert "Vous avez envoyé 10 invitations aujourd&#x27;hui" in response.content.decode()


def test_an_address_gets_three_invitations_a_day(client, representative, other_representative):
    make_application(representative)
    make_application(other_representative)
    for sender in (representative, representative, other_representative):
        client.force_login(sender)
        assert client.post("/membership/invite/", {"email": "Fanta@example.org"}).status_code == 302
    response = client.post("/membership/invite/", {"email": "fanta@example.org"})
    assert "Cette adresse a reçu 3 invitations aujourd&#x27;hui" in response.content.decode()
