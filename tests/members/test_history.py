"""The timeline of an application names each step, in the reader's language."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.utils import translation

from audit.models import AuditAction
from members import services
from members.history import history_of
from tests.factories import PDF_BYTES, make_application, make_user

pytestmark = pytest.mark.django_db

MEMBERSHIP_STEPS = {
    AuditAction.ORGANISATION_REGISTERED,
    AuditAction.ORGANISATION_UPDATED,
    AuditAction.APPLICATION_CREATED,
    AuditAction.APPLICATION_SUBMITTED,
    AuditAction.APPLICATION_RESUBMITTED,
    AuditAction.INFORMATION_REQUESTED,
    AuditAction.VOTE_CAST,
    AuditAction.APPLICATION_APPROVED,
    AuditAction.APPLICATION_REJECTED,
    AuditAction.DOCUMENT_ADDED,
    AuditAction.DOCUMENT_REMOVED,
    AuditAction.REPRESENTATIVE_INVITED,
    AuditAction.REPRESENTATIVE_ADDED,
    AuditAction.MEMBERSHIP_SUSPENDED,
    AuditAction.MEMBERSHIP_REINSTATED,
    AuditAction.MEMBERSHIP_WITHDRAWN,
}


def decide(application, committee, choice: str) -> None:
    for voter in committee[:3]:
        services.cast_vote(application, voter=voter, choice=choice, comment="Vu en comité.")


def walk_every_step(representative, committee):
    """An organisation through every step of membership, and back to a refusal."""
    first = make_application(representative, status="more-information", name="Réseau Kayes")
    organisation = first.organisation
    extra = services.add_document(
        organisation,
        by=representative,
        kind="other",
        file=ContentFile(PDF_BYTES, name="rapport.pdf"),
        content_type="application/pdf",
    )
    services.remove_document(extra, by=representative)
    services.update_organisation(organisation, by=representative, locality="Kita")
    services.invite_representative(organisation, by=representative, email="awa@example.org")
    token = signing.dumps(
        {"organisation": organisation.pk, "email": "awa@example.org", "by": representative.pk},
        salt=services.INVITATION_SALT,
    )
    services.accept_invitation(token, user=make_user("awa@example.org"))
    services.submit_application(first, by=representative)
    decide(first, committee, "approve")
    for move in ("suspend", "reinstate", "withdraw"):
        services.change_membership(organisation, action=move, by=committee[0], reason="Décision.")
    second = services.apply_again(organisation, by=representative)
    services.submit_application(second, by=representative)
    decide(second, committee, "reject")
    return first, second


def test_each_step_of_a_membership_reads_with_its_own_label(representative, committee):
    first, second = walk_every_step(representative, committee)

    entries = history_of(first, for_applicant=False) + history_of(second, for_applicant=False)

    assert {entry["label"] for entry in entries} == {str(step.label) for step in MEMBERSHIP_STEPS}


def test_the_applicant_reads_the_steps_in_french_without_the_votes(representative, committee):
    first, _second = walk_every_step(representative, committee)

    with translation.override("fr"):
        labels = [entry["label"] for entry in history_of(first, for_applicant=True)]

    assert "Demande approuvée" in labels
    assert "Adhésion suspendue" in labels
    assert "Vote exprimé" not in labels
