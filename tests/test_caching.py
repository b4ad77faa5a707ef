"""Public pages kept for visitors, never for a signed-in person; pages sent compressed."""

from __future__ import annotations

import gzip
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.models import Organisation
from tests.factories import make_organisation
from tests.queries import on_each_cache
from tests.workshops.factories import make_workshop

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def make_member(name: str) -> Organisation:
    organisation = make_organisation(name=name, listed_in_directory=True)
    Organisation.objects.filter(pk=organisation.pk).update(membership_status="member")
    return organisation


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


# A kept page costs no query but reading the cache: one on the database's.
KEPT_PAGE_QUERIES = on_each_cache(redis=0, database=1)


@pytest.mark.parametrize(
    ("url", "cache_reads"),
    [("/", 1), ("/directory/", 2)],  # the directory's: its generation, then the page
)
def test_a_visitor_is_served_the_kept_page_without_drawing_it_again(url, cache_reads):
    make_member("Première OSC")
    queries_of(Client(), url)
    assert queries_of(Client(), url)[0] == on_each_cache(redis=0, database=cache_reads)


def test_a_kept_public_workshop_page_costs_only_the_cache_read():
    workshop = make_workshop("Atelier ouvert", is_public=True)
    url = f"/workshops/{workshop.pk}/"
    queries_of(Client(), url)
    count, html = queries_of(Client(), url)
    assert count == KEPT_PAGE_QUERIES
    assert "Atelier ouvert" in html


def test_a_signed_in_person_never_gets_the_visitors_page(client, representative):
    make_member("Première OSC")
    queries_of(Client(), "/directory/")
    make_member("Deuxième OSC")
    client.force_login(representative)
    assert "Deuxième OSC" in client.get("/directory/").content.decode()
    # The visitors' copy is a minute old at most.
    assert "Deuxième OSC" not in Client().get("/directory/").content.decode()


def test_each_language_and_search_is_kept_apart():
    make_member("Réseau Sévaré")
    queries_of(Client(), "/directory/")
    english = Client()
    english.cookies["django_language"] = "en"
    assert 'lang="en"' in english.get("/directory/").content.decode()
    assert 'lang="fr"' in Client().get("/directory/").content.decode()
    assert "Réseau Sévaré" not in Client().get("/directory/?q=kayes").content.decode()


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works():
    queries_of(Client(), "/")
    visitor = Client(enforce_csrf_checks=True)
    token = TOKEN.search(visitor.get("/").content.decode()).group(1)
    response = visitor.post(
        "/accounts/language/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert visitor.cookies["django_language"].value == "en"


def test_a_visitor_with_a_message_waiting_gets_the_page_afresh(client, representative):
    queries_of(Client(), "/")
    client.force_login(representative)
    response = client.post("/account/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert 'class="messages"' in response.content.decode()


def test_pages_are_sent_compressed_with_their_length():
    response = Client().get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content)
    assert b"AC-RSS" in gzip.decompress(response.content)


def test_an_export_still_streams_when_compressed(client, secretariat):
    client.force_login(secretariat)
    response = client.get("/reports/list.csv", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    assert "Content-Length" not in response
    assert gzip.decompress(b"".join(response.streaming_content))
