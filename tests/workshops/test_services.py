"""Services and querysets the reports build on."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditAction, AuditEntry
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import Presence, Project, Workshop
from workshops.services.attendance import record_presence, register_attendance
from workshops.services.errors import AlreadyRegistered, WorkshopError
from workshops.services.people import find_or_register_organisation
from workshops.services.workshops import update_workshop

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)


def test_workshops_funded_directly_or_through_their_project():
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    dcaf = make_organisation("DCAF", kind="partner")
    project = Project.objects.create(name="Sécurité pour tous")
    project.funders.set([fes])
    through_project = make_workshop("Atelier", project=project)
    direct = make_workshop("Forum")
    direct.funders.set([fes, dcaf])
    other = make_workshop("Formation")
    other.funders.set([dcaf])

    assert set(Workshop.objects.funded_by(fes)) == {through_project, direct}
    assert set(direct.all_funders()) == {fes, dcaf}
    assert list(through_project.all_funders()) == [fes]


def test_only_held_workshops_count_as_held():
    make_workshop("Tenu", status="held")
    make_workshop("Prévu")
    make_workshop("Annulé", status="cancelled")
    assert [w.title for w in Workshop.objects.held()] == ["Tenu"]


def test_recording_presence_adds_and_removes_days_and_is_audited(secretariat):
    workshop = make_workshop(start_date=DAY1, end_date=DAY2)
    first = make_attendance(workshop, make_person("Awa Diarra"), DAY1)
    second = make_attendance(workshop, make_person("Issa Ballo"))

    added, removed = record_presence(
        workshop, by=secretariat, present={(first.pk, DAY2), (second.pk, DAY1)}
    )

    assert (added, removed) == (2, 1)
    assert set(Presence.objects.values_list("attendance_id", "day")) == {
        (first.pk, DAY2),
        (second.pk, DAY1),
    }
    assert AuditEntry.objects.filter(action=AuditAction.PRESENCE_RECORDED).count() == 1
    with pytest.raises(WorkshopError):
        record_presence(workshop, by=secretariat, present=set(), days=[datetime.date(2022, 2, 1)])


def test_moving_a_workshop_drops_presence_outside_its_new_dates(secretariat):
    workshop = make_workshop(start_date=DAY1, end_date=DAY2)
    make_attendance(workshop, make_person("Awa Diarra"), DAY1, DAY2)
    update_workshop(workshop, by=secretariat, end_date=DAY1)
    assert list(Presence.objects.values_list("day", flat=True)) == [DAY1]


def test_a_person_is_registered_once_per_workshop(secretariat):
    workshop = make_workshop()
    person = make_person("Awa Diarra")
    register_attendance(workshop, person, by=secretariat)
    with pytest.raises(AlreadyRegistered):
        register_attendance(workshop, person, by=secretariat)


def test_people_are_found_without_accents_case_or_word_order():
    aminata = make_person("Aminata TRAORÉ", phone="+22376123456")
    make_person("Oumar Diallo")
    assert list(aminata.__class__.objects.search("traore aminata")) == [aminata]
    assert list(aminata.__class__.objects.search("76 12 34")) == [aminata]


def test_an_organisation_met_at_a_workshop_joins_the_register_once(secretariat):
    first = find_or_register_organisation("Collectif  des Jeunes", by=secretariat)
    again = find_or_register_organisation("COLLECTIF DES JEUNES", by=secretariat)
    assert first == again
    assert first.membership_status == "none"


def test_youth_is_35_or_younger_in_the_year_of_the_event():
    assert make_person("A", birth_year=1987).is_youth_on(DAY1) is True
    assert make_person("B", birth_year=1986).is_youth_on(DAY1) is False
    assert make_person("C").is_youth_on(DAY1) is None
