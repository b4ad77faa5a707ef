"""Two committee members voting at the same instant, on two real connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from audit.models import AuditAction, AuditEntry
from members import services
from members.models import Application
from members.services import MembershipError
from tests.factories import make_application, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def vote_together(application, voters) -> list[object]:
    """Each voter votes approve from its own thread and connection, all at once."""
    barrier = threading.Barrier(len(voters))
    results: list[object] = [None] * len(voters)

    def vote(index: int, voter) -> None:
        try:
            barrier.wait()
            results[index] = services.cast_vote(application, voter=voter, choice="approve")
        except MembershipError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(i, v)) for i, v in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def submitted_with_committee():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): row locks across two connections")
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

    assert not any(isinstance(result, MembershipError) for result in results)
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
    assert Application.objects.get().status == "approved"
    assert application.votes.count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1
