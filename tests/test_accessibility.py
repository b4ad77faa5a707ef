"""What a screen reader, a phone and an English reader get from the pages' markup."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from common.mail import send_to_address
from tests.factories import PASSWORD, make_application, make_user
from tests.tasks import as_committed
from tests.workshops.factories import make_attendance, make_person, make_workshop

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    """Every id of the page, and every id an aria-describedby points to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.described_by.update((attrs.get("aria-describedby") or "").split())


def missing_description_ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    assert parser.described_by, "no field is described at all"
    return parser.described_by - parser.ids


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_a_rejection_without_reason_comes_back_marked_with_the_choice_kept(
    client, representative, committee
):
    application = make_application(representative, status="submitted")
    client.force_login(committee[0])
    response = client.post(reverse("members:vote", args=[application.pk]), {"choice": "reject"})
    html = response.content.decode()
    assert title_of(html).startswith("Erreur\u00a0: ")
    assert 'role="alert"' in html
    assert re.search(r'<input[^>]*value="reject"[^>]*checked', html)
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_comment"', html)
    assert 'href="#id_comment"' in html
    assert missing_description_ids(html) == set()
    assert not application.votes.exists()


def test_a_wrong_password_is_announced_and_named_in_the_title(client, representative):
    response = client.post(
        reverse("account_login"), {"login": representative.email, "password": "wrong"}
    )
    html = response.content.decode()
    assert title_of(html).startswith("Erreur\u00a0: ")
    assert re.search(
        r'class="error-summary"[^>]*role="alert"[^>]*tabindex="-1"[^>]*autofocus', html
    )


def test_help_texts_and_password_rules_are_tied_to_their_fields(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert re.search(r'aria-describedby="id_password1_helptext"', html)
    assert 'id="id_password1_helptext"' in html
    assert missing_description_ids(html) == set()


def test_a_workshop_form_with_errors_links_every_message_to_its_field(client, secretariat):
    client.force_login(secretariat)
    html = client.post(
        reverse("workshops:create"), {"title": "", "kind": "nonsense"}
    ).content.decode()
    assert title_of(html).startswith("Erreur\u00a0: ")
    assert 'aria-invalid="true"' in html
    assert missing_description_ids(html) == set()


def test_the_removal_confirmation_says_remove_not_delete(client, secretariat):
    workshop = make_workshop()
    attendance = make_attendance(workshop, make_person("Awa Coulibaly"))
    client.force_login(secretariat)
    html = client.get(
        reverse("workshops:attendance-delete", args=[workshop.pk, attendance.pk])
    ).content.decode()
    assert '<button type="submit" class="danger">Retirer</button>' in html
    assert "supprimer" not in html.lower().split("<main", 1)[1]


def test_english_pages_write_dates_day_first(client, secretariat):
    make_workshop(start_date=datetime.date(2022, 1, 26), end_date=datetime.date(2022, 1, 27))
    client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("workshops:list")).content.decode()
    assert "26/01/2022 – 27/01/2022" in html


def test_french_content_on_an_english_page_is_marked_french(client):
    workshop = make_workshop(is_public=True, summary="Un atelier fondateur.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("workshops:public", args=[workshop.pk])).content.decode()
    assert '<html lang="en">' in html
    assert '<p lang="fr">Un atelier fondateur.</p>' in html
    assert reverse("workshops:manage", args=[workshop.pk]) not in html


def test_wide_tables_label_every_cell_for_a_phone(client, committee_member, representative):
    make_application(representative, status="submitted")
    client.force_login(committee_member)
    html = client.get(reverse("members:queue")).content.decode()
    assert '<table class="stack">' in html
    for label in ("Jours d.attente", "Votes"):
        assert re.search(rf'<td class="num" data-label="{label}"', html), label


def test_the_second_factor_reminder_can_be_hidden_for_the_session(client, settings):
    settings.ACRSS_REQUIRE_MFA = False
    client.force_login(make_user(role="secretariat", second_factor=False))
    reminder = "Masquer jusqu’à la prochaine connexion"
    assert reminder in client.get(reverse("workshops:list")).content.decode()
    response = client.post(reverse("accounts:dismiss-reminder"), {"next": "/workshops/"})
    assert response.url == "/workshops/"
    assert reminder not in client.get(reverse("workshops:list")).content.decode()


def test_the_reminder_never_sends_elsewhere(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("accounts:dismiss-reminder"), {"next": "https://evil.example"})
    assert response.url == "/"


def test_an_english_e_mail_says_so_in_its_markup():
    with as_committed():
        send_to_address(
            "someone@example.org", language="en", template="application_received", context={}
        )
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="en">' in html


def test_allauth_e_mails_name_the_portal_not_the_host(client):
    with as_committed():
        client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-pass-2022",
                "password2": "a-long-pass-2022",
            },
        )
    body = mail.outbox[-1].body
    assert settings.SITE_URL in body
    assert "le portail de l’AC-RSS" in body
    greeting = body.splitlines()[0]
    assert "le portail de l’AC-RSS" in greeting
    assert "testserver" not in greeting


def test_the_sign_in_sheet_carries_the_site_chrome_and_a_label_per_cell(client, secretariat):
    workshop = make_workshop()
    make_attendance(workshop, make_person("Awa Coulibaly", phone="+22376123456"))
    client.force_login(secretariat)
    html = client.get(reverse("workshops:sign-in-sheet", args=[workshop.pk, 1])).content.decode()
    assert 'class="skip-link"' in html
    assert 'class="languages"' in html
    assert 'data-label="Téléphone">+22376123456' in html
    assert 'data-label="Signature"' in html


def test_allauth_pages_tie_every_description_to_an_element(client, representative):
    client.force_login(representative)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'aria-describedby="id_password1_helptext"' in html
    assert missing_description_ids(html) == set()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert 'aria-describedby="authenticator_secret_helptext"' in html
    assert missing_description_ids(html) == set()
