"""Long tables of the secretariat's pages are drawn once per version of their
workshops, and the committee's queue every time: what a
reviewer or the secretariat sees is never older than the last write."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checkin import services as checkin_services
from members import services as member_services
from tests.factories import make_application, make_user
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.services.attendance import record_presence, register_attendance
from workshops.services.people import update_person
from workshops.services.workshops import update_workshop

pytestmark = pytest.mark.django_db

DAY1 = datetime.date(2022, 1, 26)
DAY2 = datetime.date(2022, 1, 27)


def page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_queue_shows_a_new_application_at_once(client, committee_member):
    make_application(make_user(), status="submitted", name="Première OSC")
    client.force_login(committee_member)
    url = reverse("members:queue")
    assert "Première OSC" in page(client, url)[1]

    make_application(make_user(), status="submitted", name="Deuxième OSC")
    assert "Deuxième OSC" in page(client, url)[1]


def test_a_vote_shows_in_the_queue_at_once(client, committee_member, committee):
    application = make_application(make_user(), status="submitted", name="Réseau Sévaré")
    client.force_login(committee_member)
    url = reverse("members:queue")
    assert '<td class="num" data-label="Votes">0</td>' in page(client, url)[1]

    member_services.cast_vote(application, voter=committee[0], choice="approve")
    assert '<td class="num" data-label="Votes">1</td>' in page(client, url)[1]


def test_a_renamed_organisation_shows_in_the_queue_at_once(client, committee_member):
    application = make_application(make_user(), status="submitted", name="Ancien nom")
    client.force_login(committee_member)
    url = reverse("members:queue")
    page(client, url)

    organisation = application.organisation
    organisation.name = "Nouveau nom"
    organisation.save()
    html = page(client, url)[1]
    assert "Nouveau nom" in html
    assert "Ancien nom" not in html


def test_the_workshop_list_counts_a_new_participant_at_once(client, secretariat):
    workshop = make_workshop("Forum de Ségou")
    client.force_login(secretariat)
    url = reverse("workshops:list")
    drawn, html = page(client, url)
    assert '<td class="num" data-label="Participants">0</td>' in html
    assert page(client, url)[0] < drawn

    register_attendance(workshop, make_person("Awa Coulibaly"), by=secretariat)
    assert '<td class="num" data-label="Participants">1</td>' in page(client, url)[1]


def test_the_workshop_list_differs_for_the_secretariat_and_a_representative(
    client, secretariat, representative
):
    make_workshop("Atelier interne", is_public=False)
    make_workshop("Forum public", is_public=True)
    client.force_login(secretariat)
    assert "Atelier interne" in page(client, reverse("workshops:list"))[1]

    client.force_login(representative)
    html = page(client, reverse("workshops:list"))[1]
    assert "Forum public" in html
    assert "Atelier interne" not in html


def test_the_management_page_shows_each_kind_of_write_at_once(client, secretariat):
    workshop = make_workshop("Atelier de Mopti")
    person = make_person("Moussa Keïta", phone="+22376000001")
    attendance = make_attendance(workshop, person)
    client.force_login(secretariat)
    url = reverse("workshops:manage", args=[workshop.pk])
    drawn, html = page(client, url)
    assert "+22376000001" in html
    assert page(client, url)[0] < drawn

    # A correction of a contact detail.
    update_person(person, by=secretariat, phone="+22376000002")
    assert "+22376000002" in page(client, url)[1]

    # The presence grid writes its rows in bulk.
    record_presence(
        workshop, by=secretariat, present={(attendance.pk, DAY1), (attendance.pk, DAY2)}
    )
    html = page(client, url)[1]
    assert "jour 1\u00a0: 1" in html
    assert "jour 2\u00a0: 1" in html

    # The door's check-in takes one presence away again.
    checkin_services.mark_absent(attendance, day=DAY2, by=secretariat)
    assert "jour 2\u00a0: 0" in page(client, url)[1]

    # An edit of the workshop itself.
    update_workshop(workshop, by=secretariat, title="Atelier de Mopti, 2e")
    assert "Atelier de Mopti, 2e" in page(client, url)[1]


def test_a_restarted_cache_draws_the_tables_afresh(client, secretariat):
    workshop = make_workshop("Atelier de Kayes")
    make_attendance(workshop, make_person("Fatoumata Diarra"))
    client.force_login(secretariat)
    url = reverse("workshops:manage", args=[workshop.pk])
    page(client, url)

    cache.clear()
    assert "Fatoumata Diarra" in page(client, url)[1]
