"""Certificates of participation, read back from the PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from audit.models import AuditAction, AuditEntry
from checkin.models import CertificateSettings
from tests.test_budgets import HTML_BUDGET
from tests.workshops.factories import make_attendance, make_person, make_workshop

pytestmark = pytest.mark.django_db

FIRST, SECOND = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)


@pytest.fixture
def workshop():
    workshop = make_workshop(
        "Forum régional de Ségou", start_date=FIRST, venue="Centre Culturel", city="Ségou",
        status="held",
    )  # fmt: skip
    CertificateSettings.objects.create(
        workshop=workshop, signatory_name="Moussa Keïta", signatory_function="Coordinateur"
    )
    return workshop


@pytest.fixture
def both_days(workshop):
    person = make_person("Mariam Keïta", phone="+22376112233", email="mariam@example.org")
    return make_attendance(workshop, person, FIRST, SECOND)


@pytest.fixture
def one_day(workshop):
    return make_attendance(workshop, make_person("Seydou Koné"), FIRST)


def pages_of(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_a_certificate_carries_the_name_workshop_dates_and_signatory(
    client, secretariat, workshop, both_days
):
    client.force_login(secretariat)
    response = client.get(
        f"/workshops/{workshop.pk}/certificates/{both_days.pk}.pdf", {"language": "fr"}
    )
    [text] = pages_of(response)
    assert "ATTESTATION DE PARTICIPATION" in text
    assert "Mariam Keïta" in text
    assert "« Forum régional de Ségou »" in text
    assert "du 26 janvier 2022 au 27 janvier 2022 à Centre Culturel, Ségou" in text
    assert "Alliance Citoyenne pour la Réforme du Secteur de la Sécurité" in text
    assert "Moussa Keïta" in text
    assert "Coordinateur" in text
    assert "76112233" not in text
    assert "mariam@example.org" not in text
    entry = AuditEntry.objects.get(action=AuditAction.CERTIFICATES_GENERATED)
    assert entry.data["attendances"] == [both_days.pk]


def test_a_certificate_in_english(client, secretariat, workshop, both_days):
    client.force_login(secretariat)
    response = client.get(
        f"/workshops/{workshop.pk}/certificates/{both_days.pk}.pdf", {"language": "en"}
    )
    [text] = pages_of(response)
    assert "CERTIFICATE OF PARTICIPATION" in text
    assert "from 26 January 2022 to 27 January 2022 in Centre Culturel, Ségou" in text


def test_all_at_once_makes_one_page_per_participant_present_enough_days(
    client, secretariat, workshop, both_days, one_day
):
    client.force_login(secretariat)
    everyone = pages_of(
        client.get(f"/workshops/{workshop.pk}/certificates/all.pdf", {"min_days": 1})
    )
    assert ["Koné" in page for page in everyone] == [False, True]  # by name: Mariam, Seydou
    both = pages_of(client.get(f"/workshops/{workshop.pk}/certificates/all.pdf", {"min_days": 2}))
    assert len(both) == 1
    assert "Mariam Keïta" in both[0]


def test_the_page_lists_who_was_present_enough_days(
    client, secretariat, workshop, both_days, one_day
):
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/certificates/", {"min_days": 2, "language": "fr"})
    html = page.content.decode()
    assert "Mariam Keïta" in html
    assert "Seydou Koné" not in html


def test_a_participant_is_sent_their_certificate(
    client, secretariat, workshop, both_days, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/workshops/{workshop.pk}/certificates/{both_days.pk}/send/",
            {"min_days": 1, "language": "en"},
        )
    [message] = mail.outbox
    assert message.to == ["mariam@example.org"]
    assert "certificate of participation" in message.subject
    [(name, content, kind)] = message.attachments
    assert (name, kind) == ("mariam-keita.pdf", "application/pdf")
    assert "CERTIFICATE OF PARTICIPATION" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert AuditEntry.objects.filter(action=AuditAction.CERTIFICATE_SENT).count() == 1


def test_no_certificate_before_the_workshop_is_held(client, secretariat, workshop, both_days):
    workshop.status = "planned"
    workshop.save()
    client.force_login(secretariat)
    response = client.get(f"/workshops/{workshop.pk}/certificates/{both_days.pk}.pdf")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=AuditAction.CERTIFICATES_GENERATED).exists()


def test_the_signatory_is_set_on_the_page(client, secretariat, workshop):
    client.force_login(secretariat)
    client.post(
        f"/workshops/{workshop.pk}/certificates/",
        {"signatory_name": "Aminata Traoré", "signatory_function": "Secrétaire exécutive"},
    )
    settings = CertificateSettings.objects.get(workshop=workshop)
    assert (settings.signatory_name, settings.signatory_function) == (
        "Aminata Traoré",
        "Secrétaire exécutive",
    )


def test_a_partner_gets_no_certificate(client, fes_partner, workshop, both_days):
    client.force_login(fes_partner)
    assert client.get(f"/workshops/{workshop.pk}/certificates/all.pdf").status_code == 404


def test_the_page_of_a_large_workshop_fits_the_budget(client, secretariat, workshop):
    for n in range(120):
        person = make_person(f"Participant numéro {n:03}", email=f"p{n}@example.org")
        make_attendance(workshop, person, FIRST)
    client.force_login(secretariat)
    html = client.get(f"/workshops/{workshop.pk}/certificates/").content
    assert len(html) <= HTML_BUDGET
    assert b"Les 120 attestations en un seul PDF" in html
    assert html.count(b"<strong>Participant num") == 30
    last = client.get(f"/workshops/{workshop.pk}/certificates/", {"page": 4}).content
    assert b"<strong>Participant num\xc3\xa9ro 119" in last
