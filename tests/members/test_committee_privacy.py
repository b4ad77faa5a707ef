"""A committee member never acts on, nor hears about, their own organisation's
application; applicants read the committee's moves without a member's name;
a draft is its representatives' business only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import Application
from members.services import MembershipError
from tests.factories import make_application, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_application(applicant_committee_member):
    return Application.objects.get(organisation__representatives__user=applicant_committee_member)


def test_a_member_who_represents_the_applicant_gets_404_on_its_committee_pages(
    client, applicant_committee_member, own_application
):
    client.force_login(applicant_committee_member)
    for url in (
        reverse("members:application", args=[own_application.pk]),
        reverse("members:request-information", args=[own_application.pk]),
        reverse("members:organisation", args=[own_application.organisation.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (reverse("members:vote", args=[own_application.pk]), {"choice": "approve"}),
        (reverse("members:request-information", args=[own_application.pk]), {"message": "?"}),
    ):
        assert client.post(url, data).status_code == 404, url
    own_application.refresh_from_db()
    assert own_application.status == "submitted"
    assert not own_application.votes.exists()
    # As a representative, they follow it on their own organisation's page.
    assert "Réseau du comité" in client.get(reverse("members:mine")).content.decode()


def test_another_member_reads_and_votes_on_it(client, committee_member, own_application):
    client.force_login(committee_member)
    page = client.get(reverse("members:application", args=[own_application.pk]))
    assert reverse("members:vote", args=[own_application.pk]) in page.content.decode()


def test_the_queue_of_a_member_who_represents_an_applicant_leaves_it_out(
    client, applicant_committee_member, own_application, committee_member, settings
):
    settings.ACRSS_PAGE_SIZE = 1
    make_application(make_user(), status="submitted", name="Réseau Voisin")
    client.force_login(committee_member)
    page = client.get(reverse("members:queue")).content.decode()
    assert "Réseau du comité" in page
    assert "Page 1 sur 2" in page
    client.force_login(applicant_committee_member)
    page = client.get(reverse("members:queue")).content.decode()
    assert "Réseau du comité" not in page
    assert "Réseau Voisin" in page
    assert "Page 1 sur" not in page  # one application left: one page
    # Drawn for them alone: the other member's queue still lists it.
    client.force_login(committee_member)
    assert "Réseau du comité" in client.get(reverse("members:queue")).content.decode()


def test_the_member_list_leaves_out_the_member_own_organisation(
    client, applicant_committee_member, own_application, committee_member
):
    organisation = own_application.organisation
    organisation.membership_status = "member"
    organisation.save()
    client.force_login(committee_member)
    assert "Réseau du comité" in client.get(reverse("members:organisations")).content.decode()
    client.force_login(applicant_committee_member)
    assert "Réseau du comité" not in client.get(reverse("members:organisations")).content.decode()


def test_the_admin_reads_an_application_but_never_votes(
    client, admin_user, representative, committee
):
    application = make_application(representative, status="submitted")
    client.force_login(admin_user)
    page = client.get(reverse("members:application", args=[application.pk]))
    assert page.status_code == 200
    assert reverse("members:vote", args=[application.pk]) not in page.content.decode()
    response = client.post(reverse("members:vote", args=[application.pk]), {"choice": "approve"})
    assert response.status_code == 403
    assert not application.votes.exists()
    with pytest.raises(MembershipError):
        services.cast_vote(application, voter=admin_user, choice="approve")
    assert not application.votes.exists()


def test_a_member_is_not_told_to_review_their_own_organisation(
    committee_member, django_capture_on_commit_callbacks
):
    applicant_member = make_user("sali@example.org", role="committee")
    with django_capture_on_commit_callbacks(execute=True):
        application = make_application(applicant_member, status="submitted")
    to_review = [m.to[0] for m in mail.outbox if m.to != [applicant_member.email]]
    assert to_review == [committee_member.email]
    assert len([m for m in mail.outbox if m.to == [applicant_member.email]]) == 1  # the receipt
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more_information(application, by=committee_member, message="Le PV ?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=applicant_member)
    to_review = [m.to[0] for m in mail.outbox if m.to != [applicant_member.email]]
    assert to_review == [committee_member.email]
    assert len([m for m in mail.outbox if m.to == [applicant_member.email]]) == 1


def test_applicants_read_the_committee_moves_without_a_member_name(
    client, representative, committee, django_capture_on_commit_callbacks
):
    committee[0].full_name = "Oumar Diallo"
    committee[0].save()
    application = make_application(representative, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more_information(application, by=committee[0], message="Le PV ?")
    client.force_login(representative)
    page = client.get(reverse("members:mine")).content.decode()
    assert "par le comité de pilotage" in page
    assert "Oumar Diallo" not in page
    assert "Oumar Diallo" not in mail.outbox[-1].body
    # The committee and the secretariat see who did it.
    client.force_login(committee[1])
    page = client.get(reverse("members:application", args=[application.pk])).content.decode()
    assert "Oumar Diallo" in page


def test_a_draft_is_hidden_from_the_committee_and_the_secretariat(
    client, committee_member, secretariat, admin_user
):
    draft = make_application(make_user(), name="Réseau Brouillon")
    for reviewer in (committee_member, secretariat):
        client.force_login(reviewer)
        for url in (
            reverse("members:application", args=[draft.pk]),
            reverse("members:organisation", args=[draft.organisation.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert "Réseau Brouillon" not in client.get(reverse("members:queue")).content.decode()
    client.force_login(admin_user)
    assert (
        client.get(reverse("members:organisation", args=[draft.organisation.pk])).status_code == 200
    )
