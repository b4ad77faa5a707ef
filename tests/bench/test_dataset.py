from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled

from accounts.models import User
from accounts.roles import roles_of
from bench import dataset, pages
from members.models import Organisation
from reports.permissions import reportable_workshops
from workshops.models import Attendance, Person, Presence, Workshop

TINY = dataset.Size(organisations=30, workshops=5, people=120, attendances=300, big_workshop=40)


def test_the_data_set_has_the_size_asked_for_and_accounts_that_reach_their_pages(db):
    dataset.build(TINY)

    assert Organisation.objects.count() == TINY.organisations
    assert Workshop.objects.count() == TINY.workshops
    assert Person.objects.count() == TINY.people
    assert Attendance.objects.count() == TINY.attendances
    big = Workshop.objects.get(title=dataset.BIG_WORKSHOP_TITLE)
    assert big.attendances.count() == TINY.big_workshop
    assert Presence.objects.filter(attendance__workshop=big).exists()
    assert set(Person.objects.values_list("sex", flat=True)) == {"F", "M", "U"}
    assert Person.objects.filter(birth_year__isnull=True).exists()
    for email, role in [
        (pages.SECRETARIAT, "secretariat"),
        (pages.COMMITTEE, "committee"),
        (pages.PARTNER, "partner"),
    ]:
        user = User.objects.get(email=email)
        assert roles_of(user) == {role}
        assert is_mfa_enabled(user)
    funded = reportable_workshops(User.objects.get(email=pages.PARTNER))
    assert funded.filter(title=dataset.BIG_WORKSHOP_TITLE).exists()
    assert 0 < funded.count() < Workshop.objects.count()
