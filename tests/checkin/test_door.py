"""The secretariat checks people in at the door, one tap each."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from audit.models import AuditAction, AuditEntry
from checkin.models import SelfCheckIn
from tests.test_budgets import HTML_BUDGET
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import Attendance, Person, Presence

pytestmark = pytest.mark.django_db

FIRST, SECOND = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)


@pytest.fixture
def workshop():
    return make_workshop("Atelier de Ségou", start_date=FIRST, city="Ségou")


@pytest.fixture
def awa(workshop):
    person = make_person("Awa Traoré", sex="F", birth_year=1995, phone="+22376112233")
    return make_attendance(workshop, person)


def door(workshop, **query):
    return f"/workshops/{workshop.pk}/check-in/", query


def test_search_finds_a_registered_person_without_accents_or_case(
    client, secretariat, workshop, awa
):
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/check-in/", {"q": "TRAORE", "day": "2022-01-26"})
    assert "Awa Traoré" in page.content.decode()
    by_phone = client.get(f"/workshops/{workshop.pk}/check-in/", {"q": "76 11 22"})
    assert "Awa Traoré" in by_phone.content.decode()


def test_a_tick_marks_present_and_goes_back_to_the_search(client, secretariat, workshop, awa):
    client.force_login(secretariat)
    response = client.post(
        f"/workshops/{workshop.pk}/check-in/present/",
        {"attendance": awa.pk, "day": "2022-01-27", "q": "awa"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workshops/{workshop.pk}/check-in/?day=2022-01-27&q=awa"
    assert list(awa.presences.values_list("day", flat=True)) == [SECOND]
    page = client.get(response["Location"]).content.decode()
    assert "Awa Traoré est présent·e." in page


def test_ticking_twice_makes_one_presence(client, secretariat, workshop, awa):
    client.force_login(secretariat)
    for _ in range(2):
        client.post(
            f"/workshops/{workshop.pk}/check-in/present/", {"attendance": awa.pk, "day": FIRST}
        )
    assert awa.presences.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.PRESENCE_CHECKED_IN).count() == 1


def test_a_tick_can_be_undone(client, secretariat, workshop, awa):
    Presence.objects.create(attendance=awa, day=FIRST)
    client.force_login(secretariat)
    client.post(f"/workshops/{workshop.pk}/check-in/absent/", {"attendance": awa.pk, "day": FIRST})
    assert not awa.presences.exists()


def test_a_day_outside_the_workshop_is_refused(client, secretariat, workshop, awa):
    client.force_login(secretariat)
    client.post(
        f"/workshops/{workshop.pk}/check-in/present/", {"attendance": awa.pk, "day": "2022-02-01"}
    )
    assert not awa.presences.exists()


def test_an_attendance_of_another_workshop_cannot_be_ticked(client, secretariat, workshop):
    other = make_attendance(make_workshop("Autre atelier", start_date=FIRST), make_person("Ali"))
    client.force_login(secretariat)
    response = client.post(
        f"/workshops/{workshop.pk}/check-in/present/", {"attendance": other.pk, "day": FIRST}
    )
    assert response.status_code == 404
    assert not Presence.objects.exists()


def test_the_day_shown_is_today_during_the_workshop_else_the_first(client, secretariat, workshop):
    client.force_login(secretariat)
    with time_machine.travel(datetime.datetime(2022, 1, 27, 9, tzinfo=datetime.UTC), tick=False):
        during = client.get(f"/workshops/{workshop.pk}/check-in/").content.decode()
    with time_machine.travel(datetime.datetime(2022, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        after = client.get(f"/workshops/{workshop.pk}/check-in/").content.decode()
    assert '<p class="lead">27 janvier 2022</p>' in during
    assert '<p class="lead">26 janvier 2022</p>' in after


def test_the_counts_of_the_day_count_present_women_and_youth(client, secretariat, workshop, awa):
    older_man = make_attendance(workshop, make_person("Seydou Koné", sex="M", birth_year=1950))
    unknown = make_attendance(workshop, make_person("Fatou Sow", sex="F"))
    for attendance in (awa, older_man, unknown):
        Presence.objects.create(attendance=attendance, day=FIRST)
    Presence.objects.create(attendance=awa, day=SECOND)
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/check-in/", {"day": FIRST}).content.decode()
    assert "<strong>3</strong> présents" in page
    assert "<strong>2</strong> femmes" in page
    assert "<strong>1</strong> jeune<" in page


@pytest.mark.parametrize(
    ("language", "counts"),
    [("fr", ["1</strong> présent<", "1</strong> femme<", "1</strong> jeune<"]),
     ("en", ["1</strong> present<", "1</strong> woman<", "1</strong> young person<"])],
)  # fmt: skip
def test_a_count_of_one_is_singular_in_both_languages(
    client, secretariat, workshop, awa, language, counts
):
    Presence.objects.create(attendance=awa, day=FIRST)
    client.force_login(secretariat)
    client.cookies["django_language"] = language
    page = client.get(f"/workshops/{workshop.pk}/check-in/", {"day": FIRST}).content.decode()
    for count in counts:
        assert f"<strong>{count}" in page


def test_a_walk_in_is_registered_and_present(client, secretariat, workshop):
    make_organisation("Réseau des Femmes pour la Sécurité Humaine", "REFSH")
    client.force_login(secretariat)
    response = client.post(
        f"/workshops/{workshop.pk}/check-in/walk-in/",
        {"day": SECOND, "full_name": "Mariam  Keïta", "sex": "F", "birth_year": "1999",
         "organisation": "refsh", "position": "Chargée de projet", "phone": "66 12 34 56"},
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get(full_name="Mariam Keïta")
    assert (person.phone, person.organisation.acronym) == ("+22366123456", "REFSH")
    attendance = Attendance.objects.get(person=person, workshop=workshop)
    assert list(attendance.presences.values_list("day", flat=True)) == [SECOND]


def test_a_walk_in_who_is_known_is_offered_instead_of_a_duplicate(client, secretariat, workshop):
    known = make_person("Kadiatou Sangaré", sex="F", phone="+22376554433")
    client.force_login(secretariat)
    data = {"day": FIRST, "full_name": "SANGARE Kadiatou", "sex": "F"}
    page = client.post(f"/workshops/{workshop.pk}/check-in/walk-in/", data).content.decode()
    assert "C'est Kadiatou Sangaré\u00a0: marquer présent·e" in page
    assert Person.objects.count() == 1
    # "This is her": one tap registers the known person and ticks her.
    client.post(f"/workshops/{workshop.pk}/check-in/present/", {"person": known.pk, "day": FIRST})
    assert list(known.attendances.get().presences.values_list("day", flat=True)) == [FIRST]
    assert Person.objects.count() == 1


def test_a_walk_in_with_a_namesake_can_still_be_added(client, secretariat, workshop):
    make_person("Moussa Diarra", sex="M", birth_year=1960)
    client.force_login(secretariat)
    data = {"day": FIRST, "full_name": "Moussa Diarra", "sex": "M", "confirmed_new": "1"}
    client.post(f"/workshops/{workshop.pk}/check-in/walk-in/", data)
    assert Person.objects.filter(name_key="diarra moussa").count() == 2


def test_the_door_page_fits_the_budget_with_many_found(client, secretariat, workshop):
    organisation = make_organisation("Réseau des Femmes pour la Sécurité Humaine", "REFSH")
    for n in range(40):
        person = make_person(
            f"Aminata Traoré {n}", phone=f"+2237600{n:04d}", organisation=organisation
        )
        if n % 2:
            make_attendance(workshop, person)
        SelfCheckIn.objects.create(
            workshop=workshop, day=FIRST, full_name=f"Traoré Aminata {n}", phone=person.phone,
            organisation_name="Réseau des femmes", position="Chargée de projet",
            matched_person=person,
        )  # fmt: skip
    client.force_login(secretariat)
    html = client.get(f"/workshops/{workshop.pk}/check-in/", {"q": "traore"}).content
    # 15 registered, 5 known and the 5 oldest entries with their match.
    assert html.count(b"<strong>Aminata Traor") == 25
    assert len(html) <= HTML_BUDGET


def test_a_partner_gets_404(client, fes_partner, workshop, awa):
    client.force_login(fes_partner)
    response = client.post(
        f"/workshops/{workshop.pk}/check-in/present/", {"attendance": awa.pk, "day": FIRST}
    )
    assert response.status_code == 404
    assert not Presence.objects.exists()
