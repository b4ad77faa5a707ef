"""Participants check themselves in by the day's QR code; the secretariat confirms."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine

from audit.models import AuditAction, AuditEntry
from checkin.links import make_token
from checkin.models import SelfCheckIn
from reports.queries import build_figures
from tests.test_budgets import HTML_BUDGET
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import Attendance, Person, Presence, Workshop

pytestmark = pytest.mark.django_db

FIRST, SECOND = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)
# 10:00 in Bamako (UTC+0) on the second day.
ON_SECOND_DAY = datetime.datetime(2022, 1, 27, 10, tzinfo=datetime.UTC)
DETAILS = {
    "full_name": "Fanta  Coulibaly",
    "sex": "F",
    "birth_year": "1998",
    "organisation_name": "Jeunes de Kati",
    "position": "Présidente",
    "phone": "76 00 11 22",
    "email": "",
    "consent": "on",
}


@pytest.fixture
def workshop():
    return make_workshop("Forum de Kati", start_date=FIRST, city="Kati", status="held")


@pytest.fixture(autouse=True)
def _second_day_of_the_workshop():
    with time_machine.travel(ON_SECOND_DAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _empty_rate_counters():
    from django.core.cache import cache

    cache.clear()


def url(workshop: Workshop, day: datetime.date) -> str:
    return f"/check-in/{make_token(workshop.pk, day)}/"


def test_a_participant_checks_in_and_waits_for_confirmation(client, workshop):
    page = client.get(url(workshop, SECOND))
    assert page.status_code == 200
    assert "Forum de Kati" in page.content.decode()
    assert len(page.content) <= HTML_BUDGET

    response = client.post(url(workshop, SECOND), DETAILS)

    assert response.status_code == 302
    entry = SelfCheckIn.objects.get()
    assert (entry.full_name, entry.phone, entry.day, entry.status) == (
        "Fanta Coulibaly",
        "+22376001122",
        SECOND,
        "pending",
    )
    assert not Person.objects.exists()
    assert not Attendance.objects.exists()
    assert "Le secrétariat va le confirmer" in client.get(response["Location"]).content.decode()


def test_nothing_unconfirmed_counts_in_a_report(client, workshop):
    client.post(url(workshop, SECOND), DETAILS)
    figures = build_figures(Workshop.objects.filter(pk=workshop.pk))
    assert (figures.participants, figures.attendances, figures.person_days) == (0, 0, 0)


def test_the_page_lists_nobody(client, workshop):
    make_attendance(workshop, make_person("Awa Traoré"), FIRST)
    client.post(url(workshop, SECOND), {**DETAILS, "full_name": "Ali Maïga"})
    page = client.get(url(workshop, SECOND)).content.decode()
    assert "Awa Traoré" not in page
    assert "Ali Maïga" not in page


def test_consent_is_required(client, workshop):
    page = client.post(url(workshop, SECOND), {**DETAILS, "consent": ""})
    assert page.status_code == 200
    assert not SelfCheckIn.objects.exists()


def test_the_required_fields_are_marked_and_the_mark_explained(client, workshop):
    page = client.get(url(workshop, SECOND)).content.decode()
    assert "Les champs marqués d'un * sont à remplir." in page
    required = set(re.findall(r'<input[^>]*name="(\w+)"[^>]*\brequired\b', page))
    assert required == {"full_name", "sex", "consent"}
    assert '<label for="id_full_name" class="required">' in page
    assert '<legend class="required">' in page  # the sex, asked with radio buttons
    assert '<label for="id_phone">' in page  # optional: no mark


def test_a_link_of_another_day_is_refused(client, workshop):
    response = client.get(url(workshop, FIRST))
    assert response.status_code == 403
    assert "ne marche que le 26 janvier 2022" in response.content.decode()
    client.post(url(workshop, FIRST), DETAILS)
    assert not SelfCheckIn.objects.exists()


def test_a_forged_link_is_not_found(client, workshop):
    token = make_token(workshop.pk, SECOND)
    assert client.get(f"/check-in/{token[:-2]}xx/").status_code == 404


def test_the_same_details_sent_twice_make_one_entry(client, workshop):
    client.post(url(workshop, SECOND), DETAILS)
    client.post(url(workshop, SECOND), DETAILS)
    assert SelfCheckIn.objects.count() == 1


def test_the_secretariat_sees_the_entry_with_its_likely_match(client, secretariat, workshop):
    make_person("COULIBALY Fanta", sex="F")
    client.post(url(workshop, SECOND), DETAILS)
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/check-in/").content.decode()
    assert "Pointages en ligne à confirmer (1)" in page
    assert "Sans doute la même personne que\u00a0: <strong>COULIBALY Fanta</strong>" in page


def test_a_known_person_merged_on_confirmation_counts_once(client, secretariat, workshop):
    """Checked in at the door on day one, by QR code on day two: one person, two days."""
    organisation = make_organisation("Jeunes de Kati", "JK")
    known = make_person("Fanta Coulibaly", sex="U", phone="+22376001122", organisation=organisation)
    make_attendance(workshop, known, FIRST)
    client.post(url(workshop, SECOND), {**DETAILS, "full_name": "COULIBALY fanta"})
    entry = SelfCheckIn.objects.get()
    assert entry.matched_person == known

    client.force_login(secretariat)
    client.post(f"/workshops/{workshop.pk}/check-in/entries/{entry.pk}/merge/")

    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert (known.sex, known.birth_year, known.position) == ("F", 1998, "Présidente")
    assert known.full_name == "Fanta Coulibaly"  # the register's spelling is kept
    figures = build_figures(Workshop.objects.filter(pk=workshop.pk))
    assert (figures.participants, figures.attendances, figures.person_days) == (1, 1, 2)
    assert figures.women.count == 1
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert AuditEntry.objects.filter(action=AuditAction.SELF_CHECK_IN_MERGED).count() == 1


def test_a_new_person_confirmed_is_added_registered_and_present(client, secretariat, workshop):
    client.post(url(workshop, SECOND), DETAILS)
    entry = SelfCheckIn.objects.get()
    client.force_login(secretariat)
    client.post(f"/workshops/{workshop.pk}/check-in/entries/{entry.pk}/confirm/")
    person = Person.objects.get()
    assert (person.full_name, person.organisation.name, person.consent_recorded) == (
        "Fanta Coulibaly",
        "Jeunes de Kati",
        True,
    )
    assert list(Presence.objects.values_list("attendance__person", "day")) == [(person.pk, SECOND)]
    # Decided once: a second tap changes nothing.
    client.post(f"/workshops/{workshop.pk}/check-in/entries/{entry.pk}/confirm/")
    assert Person.objects.count() == 1


def test_a_rejected_entry_counts_nowhere(client, secretariat, workshop):
    client.post(url(workshop, SECOND), DETAILS)
    entry = SelfCheckIn.objects.get()
    client.force_login(secretariat)
    client.post(f"/workshops/{workshop.pk}/check-in/entries/{entry.pk}/reject/")
    entry.refresh_from_db()
    assert entry.status == "rejected"
    assert not Person.objects.exists()
    page = client.get(f"/workshops/{workshop.pk}/check-in/").content.decode()
    assert "Pointages en ligne à confirmer (0)" in page


def test_a_partner_cannot_decide_an_entry(client, fes_partner, workshop):
    client.post(url(workshop, SECOND), DETAILS)
    entry = SelfCheckIn.objects.get()
    client.force_login(fes_partner)
    response = client.post(f"/workshops/{workshop.pk}/check-in/entries/{entry.pk}/confirm/")
    assert response.status_code == 404
    assert SelfCheckIn.objects.get().status == "pending"


def test_the_qr_code_is_drawn_by_the_server(client, secretariat, workshop):
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/check-in/qr-code/", {"day": SECOND})
    html = page.content.decode()
    assert "<svg" in html
    assert "<path" in html
    assert f"http://testserver/check-in/{make_token(workshop.pk, SECOND)}/" in html
    assert "<script" not in html
