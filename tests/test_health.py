"""Probes say whether the process and the database answer; error pages keep the
site's look in both languages, and the 500 and 503 pages need no database."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_readyz_answers_when_the_database_does(client):
    assert client.get("/readyz").status_code == 200


def test_readyz_says_when_the_database_does_not_answer(client):
    with mock.patch("acrss.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_the_404_page_keeps_the_site_layout_in_each_language(client, language, title):
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "css/acrss.css" in page
    assert 'class="site-footer"' in page


def test_the_403_page_is_ours(client, secretariat, committee_member):
    from tests.factories import make_application

    application = make_application(committee_member, status="submitted")
    client.force_login(secretariat)
    response = client.get(f"/applications/{application.pk}/request-information/")
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in response.content.decode()


def test_the_400_page_is_ours(client):
    response = client.get("/", HTTP_HOST="portal.evil.example")
    assert response.status_code == 400
    assert "<h1>Requête incorrecte</h1>" in response.content.decode()


def test_the_429_page_is_ours(client, settings, representative):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    for _attempt in range(2):
        response = client.post("/account/login/", {"login": "x@example.org", "password": "x"})
    assert response.status_code == 429
    assert "<h1>Trop de tentatives</h1>" in response.content.decode()


def test_an_error_gives_our_500_page():
    raw = Client(raise_request_exception=False)
    with mock.patch("acrss.views.Organisation.objects.members", side_effect=RuntimeError):
        response = raw.get("/")
    assert response.status_code == 500
    assert "<h1>Une erreur s'est produite</h1>" in html.unescape(response.content.decode())


# Production settings, but static files without collectstatic's manifest.
SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import override_settings
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
client = Client(raise_request_exception=False)
answers = {}
with override_settings(STORAGES={"default": plain, "staticfiles": plain}):
    for url in ("/healthz", "/readyz", "/"):
        response = client.get(url)
        page = response.content.decode()
        answers[url] = [response.status_code, response.get("Retry-After"), page]
print(json.dumps(answers))
"""


def test_with_the_database_down_the_portal_says_so_and_stays_alive():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/acrss",  # nothing listens on port 1
        DJANGO_SETTINGS_MODULE="acrss.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "-not-the-example-but-long-enough-0123456789",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["/healthz"][0] == 200
    assert answers["/readyz"][:2] == [503, "30"]
    status, retry_after, page = answers["/"]
    assert (status, retry_after) == (503, "30")
    assert "<h1>Portail indisponible</h1>" in page
    assert "css/acrss.css" in page
