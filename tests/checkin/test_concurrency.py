"""Two secretariat phones ticking the same person at the same instant, on two connections."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditAction, AuditEntry
from checkin import services
from checkin.models import SelfCheckIn
from tests.concurrency import at_once
from tests.factories import make_user
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import Attendance, Presence

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgresql", "two connections writing at once"),
]

DAY = datetime.date(2022, 1, 26)


@pytest.fixture
def secretaries():
    return make_user(role="secretariat"), make_user(role="secretariat")


@pytest.mark.parametrize("run", range(3))
def test_two_ticks_at_once_make_one_presence(secretaries, run):
    workshop = make_workshop(start_date=DAY)
    attendance = make_attendance(workshop, make_person("Awa Traoré"))

    results = at_once(
        *(lambda by=by: services.mark_present(attendance, day=DAY, by=by) for by in secretaries)
    )

    assert sorted(results) == [False, True]
    assert Presence.objects.filter(attendance=attendance, day=DAY).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.PRESENCE_CHECKED_IN).count() == 1


def test_two_phones_checking_in_a_known_person_make_one_attendance(secretaries):
    workshop = make_workshop(start_date=DAY)
    person = make_person("Kadiatou Sangaré")

    results = at_once(
        *(
            lambda by=by: services.check_in_person(workshop, person, day=DAY, by=by)
            for by in secretaries
        )
    )

    assert all(isinstance(result, Attendance) for result in results)
    assert Attendance.objects.filter(workshop=workshop, person=person).count() == 1
    assert Presence.objects.filter(attendance__person=person).count() == 1


def test_a_self_check_in_decided_from_two_phones_is_decided_once(secretaries):
    workshop = make_workshop(start_date=DAY)
    entry = SelfCheckIn.objects.create(
        workshop=workshop, day=DAY, full_name="Fanta Coulibaly", name_key="coulibaly fanta"
    )

    results = at_once(
        *(lambda by=by: services.confirm_self_check_in(entry, by=by) for by in secretaries)
    )

    refused = [result for result in results if isinstance(result, services.CheckInError)]
    assert len(refused) == 1
    assert Attendance.objects.filter(workshop=workshop).count() == 1
    assert Presence.objects.count() == 1
