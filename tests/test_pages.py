"""The public pages, the layout every page shares, and the language switcher."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_home_is_in_french_whatever_the_browser_says(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html
    assert "Rejoindre l'alliance" in html
    assert 'href="/privacy/"' in html


def test_switching_to_english_sticks_for_the_next_pages(client):
    response = client.post("/accounts/language/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response.url == "/privacy/"
    html = client.get("/privacy/").content.decode()
    assert '<html lang="en">' in html
    assert "Privacy and personal data" in html
    assert "Skip to content" in html


def test_a_signed_in_person_keeps_the_chosen_language_for_e_mails(client, representative):
    client.force_login(representative)
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    representative.refresh_from_db()
    assert representative.language == "en"


def test_an_unknown_language_leaves_french(client):
    client.post("/accounts/language/", {"language": "de", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_the_switcher_sends_nobody_to_another_site(client):
    response = client.post(
        "/accounts/language/", {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response.url == "/"


def test_visitors_are_offered_log_in_and_sign_up(client):
    html = client.get("/").content.decode()
    assert "Se connecter" in html
    assert "S&#x27;inscrire" in html or "S'inscrire" in html
    assert "Administration" not in html


def test_only_admins_see_the_administration_entry(client, admin_user, committee_member):
    client.force_login(committee_member)
    assert "Administration" not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert "Administration" in client.get("/").content.decode()


def test_pages_forbid_framing_and_foreign_resources(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_person_who_chose_english_reads_english_on_a_new_device(client, representative):
    representative.language = "en"
    representative.save()
    client.force_login(representative)
    assert '<html lang="en">' in client.get("/").content.decode()


def test_choosing_english_before_logging_in_is_remembered_for_e_mails(client, representative):
    from tests.factories import PASSWORD

    client.post("/accounts/language/", {"language": "en", "next": "/"})
    client.post("/account/login/", {"login": representative.email, "password": PASSWORD})
    representative.refresh_from_db()
    assert representative.language == "en"


def test_the_privacy_page_says_how_long_an_erased_person_stays_in_backups(client, settings):
    settings.ACRSS_BACKUP_KEEP_DAILY = 7
    settings.ACRSS_BACKUP_KEEP_WEEKLY = 4
    html = client.get("/privacy/").content.decode()
    assert "en 35\u00a0jours au plus" in html
    assert "cookie signé" in html
    settings.ACRSS_BACKUP_KEEP_WEEKLY = 0
    cache.clear()  # the page is kept a minute for visitors
    assert "en 7\u00a0jours au plus" in client.get("/privacy/").content.decode()
