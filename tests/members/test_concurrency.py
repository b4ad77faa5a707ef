"""Two committee members voting at the same instant, on two real connections."""

from __future__ import annotations

import pytest

from audit.models import AuditAction, AuditEntry
from members import services
from members.models import Application, Vote
from members.services import MembershipError
from tests.concurrency import at_once
from tests.factories import make_application, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgresql", "row locks across two connections"),
]


def vote_together(application, voters) -> list[object]:
    """Each voter votes approve from its own thread and connection, all at once."""
    return at_once(
        *[
            lambda voter=voter: services.cast_vote(application, voter=voter, choice="approve")
            for voter in voters
        ]
    )


@pytest.fixture
def submitted_with_committee():
    committee = [make_user(role="committee") for _ in range(5)]  # quorum: 3
    application = make_application(make_user(), status="submitted")
    return application, committee


@pytest.mark.parametrize("run", range(3))
def test_the_two_deciding_votes_at_once_make_one_decision_and_lose_no_vote(
    submitted_with_committee, run
):
    application, committee = submitted_with_committee
    services.cast_vote(application, voter=committee[0], choice="approve")
    services.cast_vote(application, voter=committee[1], choice="abstain")

    results = vote_together(application, committee[2:4])

    assert not any(isinstance(result, Exception) for result in results)
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.votes.count() == 4
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1


def test_a_vote_after_the_decision_is_refused_aloud_not_lost(submitted_with_committee):
    application, committee = submitted_with_committee
    services.cast_vote(application, voter=committee[0], choice="approve")
    services.cast_vote(application, voter=committee[1], choice="approve")

    results = vote_together(application, committee[2:4])

    refused = [result for result in results if isinstance(result, MembershipError)]
    assert len(refused) == 1
    assert all(isinstance(result, (Vote, MembershipError)) for result in results)
    assert Application.objects.get().status == "approved"
    assert application.votes.count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1
