"""Cached figures are never stale: after each kind of write a report counts, the
figures the pages read equal those recounted from raw attendance, for every scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from checkin import services as checkin
from checkin.models import SelfCheckIn
from members import services as members
from reports.cache import cached_figures
from reports.queries import build_figures
from tests.queries import on_each_cache
from tests.reports.conftest import JAN_26, MAR_28
from tests.workshops.factories import make_person
from workshops.models import Attendance, Person, Workshop
from workshops.services.attendance import (
    change_role,
    record_presence,
    register_attendance,
    remove_attendance,
)
from workshops.services.imports import confirm_import, start_import
from workshops.services.people import merge_people, update_person
from workshops.services.workshops import create_workshop, update_workshop

pytestmark = pytest.mark.django_db


def scopes(example, fes):
    """The sets the pages count: everything held, a funder's, a filtered one, one workshop."""
    held = Workshop.objects.held()
    return {
        "all": (held, None),
        "fes": (Workshop.objects.funded_by(fes).held(), None),
        "project": (held.filter(project=example.project), example.project),
        "one": (Workshop.objects.filter(pk=example.founding.pk), example.project),
    }


def register_someone(example, by):
    register_attendance(example.founding, make_person("Nouvelle Venue", sex="F"), by=by)


def remove_someone(example, by):
    remove_attendance(example.founding.attendances.get(person__full_name="Sidy Keïta"), by=by)


def change_a_role(example, by):
    attendance = example.founding.attendances.get(person__full_name="Awa Traoré")
    change_role(attendance, by=by, role="speaker")


def untick_a_day(example, by):
    record_presence(example.founding, by=by, present=set(), days=[JAN_26])


def import_a_sheet(example, by):
    sheet = "Nom et prénom;Sexe;Âge;Structure\nOumar Diallo;M;24;Radio Kayira\n"
    upload = ContentFile(sheet.encode(), name="feuille.csv")
    pending = start_import(example.training, by=by, upload=upload, day=MAR_28)
    confirm_import(pending, by=by)


def tick_at_the_door(example, by):
    attendance = example.founding.attendances.get(person__full_name="Moussa Diarra")
    checkin.mark_present(attendance, day=example.founding.end_date, by=by)


def untick_at_the_door(example, by):
    attendance = example.founding.attendances.get(person__full_name="Awa Traoré")
    checkin.mark_absent(attendance, day=JAN_26, by=by)


def check_in_someone_known(example, by):
    fanta = Person.objects.get(full_name="Fanta Sow")
    checkin.check_in_person(example.training, fanta, day=MAR_28, by=by)


def confirm_a_self_check_in(example, by):
    entry = SelfCheckIn.objects.create(
        workshop=example.training, day=MAR_28, full_name="Kadia Coulibaly", sex="F"
    )
    checkin.confirm_self_check_in(entry, by=by)


def merge_a_self_check_in(example, by):
    sidy = Person.objects.get(full_name="Sidy Keïta")
    entry = SelfCheckIn.objects.create(
        workshop=example.training, day=MAR_28, full_name="Sidy Keïta", sex="M", matched_person=sidy
    )
    checkin.merge_self_check_in(entry, by=by)


def correct_a_sex(example, by):
    update_person(Person.objects.get(full_name="Sidy Keïta"), by=by, sex="M")


def correct_a_birth_year(example, by):
    update_person(Person.objects.get(full_name="Awa Traoré"), by=by, birth_year=1960)


def move_to_another_organisation(example, by):
    awa = Person.objects.get(full_name="Awa Traoré")
    update_person(awa, by=by, organisation=None)


def merge_two_people(example, by):
    awa, fanta = (
        Person.objects.get(full_name="Awa Traoré"),
        Person.objects.get(full_name="Fanta Sow"),
    )
    merge_people(awa, fanta, by=by)


def suspend_a_member(example, by):
    member = Person.objects.get(full_name="Awa Traoré").organisation
    members.change_membership(member, action="suspend", by=by, reason="Cotisation impayée")


def leave_the_ccsc_purn(example, by):
    coalition = Person.objects.get(full_name="Moussa Diarra").organisation
    members.update_organisation(coalition, by=by, ccsc_purn_member=False)


def move_a_workshop(example, by):
    update_workshop(
        example.training,
        by=by,
        start_date=datetime.date(2019, 3, 28),
        end_date=datetime.date(2019, 3, 28),
    )


def mark_a_workshop_held(example, by):
    update_workshop(example.planned, by=by, status="held")


def hold_a_new_workshop(example, by):
    today = timezone.localdate()
    create_workshop(
        by=by, title="Atelier régional", start_date=today, end_date=today, status="held",
        project=example.project,
    )  # fmt: skip


WRITES = [
    register_someone,
    remove_someone,
    change_a_role,
    untick_a_day,
    import_a_sheet,
    tick_at_the_door,
    untick_at_the_door,
    check_in_someone_known,
    confirm_a_self_check_in,
    merge_a_self_check_in,
    correct_a_sex,
    correct_a_birth_year,
    move_to_another_organisation,
    merge_two_people,
    suspend_a_member,
    leave_the_ccsc_purn,
    move_a_workshop,
    mark_a_workshop_held,
    hold_a_new_workshop,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_figures_read_after_a_write_equal_a_recount_from_raw_attendance(
    write, example, fes, secretariat
):
    before = {}
    for name, (workshops, project) in scopes(example, fes).items():
        before[name] = cached_figures(workshops, project=project)
        assert before[name] == build_figures(workshops, project=project)

    write(example, secretariat)

    changed = False
    for name, (workshops, project) in scopes(example, fes).items():
        recount = build_figures(workshops, project=project)
        assert cached_figures(workshops, project=project) == recount, name
        changed |= recount != before[name]
    # The write changed a figure: a stale cache would have shown the old one.
    assert changed


def test_the_same_figures_are_counted_once_per_state_of_the_data(
    example, fes, django_assert_num_queries
):
    workshops = Workshop.objects.funded_by(fes).held()
    first = cached_figures(workshops)
    # The set's versions and its presences; every other figure comes from the cache
    # (a query more where the database holds the cache).
    with django_assert_num_queries(on_each_cache(redis=2, database=3)):
        assert cached_figures(workshops) == first
    assert Attendance.objects.filter(workshop__in=workshops).count() == first.attendances


def report_pages(example):
    return [
        "/reports/",
        f"/reports/?project={example.project.pk}",
        f"/reports/workshops/{example.founding.pk}/",
    ]


def shown(client, path: str) -> str:
    """The page as its reader gets it, but for the form token that changes each time."""
    html = client.get(path).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_report_pages_read_after_a_write_are_those_drawn_afresh(
    write, client, example, secretariat
):
    client.force_login(secretariat)
    for path in report_pages(example):
        shown(client, path)  # kept from before the write

    write(example, secretariat)

    kept = {path: shown(client, path) for path in report_pages(example)}
    cache.clear()
    for path in report_pages(example):
        assert kept[path] == shown(client, path), path
