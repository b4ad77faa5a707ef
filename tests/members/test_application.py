"""The life of a membership application, move by move (J1, J2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from audit.models import AuditAction, AuditEntry
from members import services
from members.models import Application, MembershipStatus, Vote
from members.services import MembershipError
from tests.factories import PDF_BYTES, make_application

pytestmark = pytest.mark.django_db


def test_starting_makes_a_draft_and_its_representative(representative):
    application = make_application(representative, name="Réseau Paix Kayes")
    assert application.status == "draft"
    assert application.organisation.representatives.get().user == representative
    assert application.organisation.membership_status == MembershipStatus.NONE


def test_a_person_represents_one_organisation_only(representative):
    make_application(representative)
    with pytest.raises(MembershipError):
        make_application(representative)


def test_submitting_without_the_required_documents_is_refused(representative):
    application = make_application(representative)
    with pytest.raises(MembershipError, match="Statuts, Récépissé"):
        services.submit_application(application, by=representative)
    application.refresh_from_db()
    assert application.status == "draft"


def test_submitting_tells_the_applicant_and_the_committee(
    representative, committee, django_capture_on_commit_callbacks
):
    application = make_application(representative)
    for kind in ("statutes", "receipt"):
        services.add_document(
            application.organisation,
            by=representative,
            kind=kind,
            file=ContentFile(PDF_BYTES, name="doc.pdf"),
            content_type="application/pdf",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application, by=representative)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([representative.email] + [m.email for m in committee])
    receipt = next(m for m in mail.outbox if m.to == [representative.email])
    assert "Demande reçue" in receipt.subject
    assert receipt.alternatives[0][1] == "text/html"


def test_e_mails_speak_the_recipients_language(
    representative, committee, django_capture_on_commit_callbacks
):
    representative.language = "en"
    representative.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_application(representative, status="submitted", name="Kayes Peace Network")
    receipt = next(m for m in mail.outbox if m.to == [representative.email])
    to_committee = next(m for m in mail.outbox if m.to == [committee[0].email])
    assert receipt.subject == "Application received: Kayes Peace Network"
    assert "Kayes Peace Network" in to_committee.subject
    assert to_committee.subject.startswith("À examiner")


def test_a_second_submission_is_refused(representative, committee):
    application = make_application(representative, status="submitted")
    with pytest.raises(MembershipError):
        services.submit_application(application, by=representative)


def test_the_profile_is_frozen_while_the_committee_examines_it(representative, committee):
    application = make_application(representative, status="submitted")
    with pytest.raises(MembershipError):
        services.update_organisation(application.organisation, by=representative, locality="Kati")


def test_more_information_returns_it_clears_votes_and_allows_resubmission(
    representative, committee, django_capture_on_commit_callbacks
):
    application = make_application(representative, status="submitted")
    services.cast_vote(application, voter=committee[0], choice="approve")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_more_information(
            application, by=committee[1], message="Joignez le PV de l'AG."
        )
    application.refresh_from_db()
    assert application.status == "more-information"
    assert application.votes.count() == 0
    assert "PV de l'AG" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [representative.email]

    services.update_organisation(application.organisation, by=representative, locality="Kati")
    services.submit_application(application, by=representative)
    application.refresh_from_db()
    assert application.status == "resubmitted"


def test_asking_for_information_on_a_draft_is_refused(representative, committee):
    application = make_application(representative)
    with pytest.raises(MembershipError):
        services.request_more_information(application, by=committee[0], message="?")


@pytest.mark.time_machine(dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False)
def test_approval_falls_at_the_quorum_and_makes_a_member(
    representative, committee, django_capture_on_commit_callbacks
):
    application = make_application(representative, status="submitted")
    assert services.approval_quorum() == 3
    services.cast_vote(application, voter=committee[0], choice="approve")
    services.cast_vote(application, voter=committee[1], choice="abstain")
    services.cast_vote(application, voter=committee[2], choice="approve")
    application.refresh_from_db()
    assert application.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(application, voter=committee[3], choice="approve")
    application.refresh_from_db()
    organisation = application.organisation
    organisation.refresh_from_db()
    assert application.status == "approved"
    assert organisation.is_member
    assert organisation.member_since == dt.date(2025, 3, 4)
    assert "Bienvenue" in mail.outbox[-1].subject
    assert "membre de l'alliance à compter du 4 mars 2025" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1


def test_a_configured_quorum_replaces_the_majority(settings, representative, committee):
    settings.ACRSS_APPROVAL_QUORUM = 2
    application = make_application(representative, status="submitted")
    services.cast_vote(application, voter=committee[0], choice="approve")
    services.cast_vote(application, voter=committee[1], choice="approve")
    application.refresh_from_db()
    assert application.status == "approved"


def test_a_rejection_needs_a_reason_which_the_applicant_reads(
    representative, committee, django_capture_on_commit_callbacks
):
    application = make_application(representative, status="submitted")
    with pytest.raises(MembershipError):
        services.cast_vote(application, voter=committee[0], choice="reject", comment=" ")
    for member in committee[:2]:
        services.cast_vote(application, voter=member, choice="reject", comment="Pas une OSC.")
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(
            application, voter=committee[2], choice="reject", comment="Société commerciale."
        )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert "Société commerciale." in application.decision_reason
    assert "Société commerciale." in mail.outbox[-1].body
    assert not application.organisation.is_member


def test_a_vote_can_change_until_the_decision_and_not_after(representative, committee):
    application = make_application(representative, status="submitted")
    services.cast_vote(application, voter=committee[0], choice="reject", comment="Incomplet")
    services.cast_vote(application, voter=committee[0], choice="approve")
    assert Vote.objects.get(voter=committee[0]).choice == "approve"
    assert AuditEntry.objects.filter(action=AuditAction.VOTE_CAST).count() == 2
    services.cast_vote(application, voter=committee[1], choice="approve")
    services.cast_vote(application, voter=committee[2], choice="approve")
    with pytest.raises(MembershipError, match="clos"):
        services.cast_vote(application, voter=committee[3], choice="reject", comment="Non")
    assert Application.objects.get().status == "approved"


@pytest.mark.parametrize(
    ("moves", "final"),
    [
        (["suspend"], "suspended"),
        (["suspend", "reinstate"], "member"),
        (["withdraw"], "withdrawn"),
        (["suspend", "withdraw"], "withdrawn"),
    ],
)
def test_membership_moves_by_recorded_decisions(representative, committee, moves, final):
    application = make_application(representative, status="submitted")
    for member in committee[:3]:
        services.cast_vote(application, voter=member, choice="approve")
    organisation = application.organisation
    for move in moves:
        services.change_membership(organisation, action=move, by=committee[0], reason="AG")
    organisation.refresh_from_db()
    assert organisation.membership_status == final
    assert AuditEntry.objects.filter(action__startswith="membership.").count() == len(moves)


@pytest.mark.parametrize("move", ["suspend", "reinstate", "withdraw"])
def test_a_non_member_cannot_be_suspended_reinstated_or_withdrawn(representative, move):
    organisation = make_application(representative).organisation
    with pytest.raises(MembershipError):
        services.change_membership(organisation, action=move, by=None, reason="AG")


def test_a_membership_decision_needs_a_reason(representative, committee):
    organisation = make_application(representative).organisation
    with pytest.raises(MembershipError):
        services.change_membership(organisation, action="suspend", by=committee[0], reason="")


def test_the_database_refuses_an_unknown_status(representative):
    from django.db import IntegrityError

    application = make_application(representative)
    with pytest.raises(IntegrityError):
        Application.objects.filter(pk=application.pk).update(status="accepted")


def test_a_committee_member_cannot_vote_on_their_own_organisation(applicant_committee_member):
    application = Application.objects.get(
        organisation__representatives__user=applicant_committee_member
    )
    with pytest.raises(MembershipError, match="représentez"):
        services.cast_vote(application, voter=applicant_committee_member, choice="approve")
    assert not application.votes.exists()


def test_a_rejected_organisation_can_apply_again_with_its_documents(representative, committee):
    application = make_application(representative, status="submitted")
    for member in committee[:3]:
        services.cast_vote(application, voter=member, choice="reject", comment="Trop tôt.")
    organisation = application.organisation
    again = services.apply_again(organisation, by=representative)
    assert again.status == "draft"
    assert services.missing_documents(organisation) == []
    with pytest.raises(MembershipError):
        services.apply_again(organisation, by=representative)


def test_a_member_does_not_apply_again(representative, committee):
    application = make_application(representative, status="submitted")
    for member in committee[:3]:
        services.cast_vote(application, voter=member, choice="approve")
    with pytest.raises(MembershipError, match="déjà membre"):
        services.apply_again(application.organisation, by=representative)


def test_a_profile_edit_records_the_fields_that_changed(client, representative):
    organisation = make_application(representative, name="Réseau A").organisation
    client.force_login(representative)
    profile = {"name": "Réseau B", "acronym": organisation.acronym, "kind": "ngo"}
    client.post("/membership/organisation/edit/", {**profile, "region": organisation.region})

    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_UPDATED)
    assert entry.data["fields"] == ["name", "themes"]
