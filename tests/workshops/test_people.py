"""The secretariat's pages on people: find them across workshops, correct them, merge two
records of one person; and abandoned import sheets that do not stay."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import AttendanceImport, Person

pytestmark = pytest.mark.django_db

DAY1 = datetime.date(2022, 1, 26)


def test_people_are_found_across_workshops_page_by_page(client, secretariat):
    for n in range(60):
        make_person(f"Awa Numéro {n:02d}")
    make_person("Moussa Keïta", phone="+22376000001")
    client.force_login(secretariat)

    first = client.get(reverse("workshops:people"), {"q": "awa"}).content.decode()
    assert "60 personnes" in first
    assert "Awa Numéro 00" in first
    assert "Awa Numéro 55" not in first
    second = client.get(reverse("workshops:people"), {"q": "awa", "page": 2}).content.decode()
    assert "Awa Numéro 55" in second
    by_phone = client.get(reverse("workshops:people"), {"q": "76 00 00 01"}).content.decode()
    assert "Moussa Keïta" in by_phone


def test_the_secretariat_corrects_every_field_and_the_change_is_audited(client, secretariat):
    person = make_person("Awa Traore", sex="U", age_group="older")
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:person-edit", args=[person.pk]),
        {
            "full_name": "Awa  Traoré",
            "sex": "F",
            "birth_year": "1990",
            "age_group": "older",
            "phone": "76 12 34 56",
            "email": "Awa@Example.org",
            "position": "Présidente",
            "region": "kayes",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.sex, person.birth_year, person.age_group) == (
        "Awa Traoré",
        "F",
        1990,
        "",
    )
    assert (person.phone, person.email, person.region) == (
        "+22376123456",
        "awa@example.org",
        "kayes",
    )
    assert person.name_key == "awa traore"
    assert Person.objects.search("traoré").get() == person
    entry = AuditEntry.objects.get(action="person.updated")
    assert {"sex", "birth_year", "phone"} <= set(entry.data["fields"])


def test_merging_through_the_pages(client, secretariat):
    workshop = make_workshop(start_date=DAY1, end_date=DAY1)
    awa = make_person("Awa Cissé", sex="F")
    twin = make_person("CISSE Awa", phone="+22370000010")
    make_attendance(workshop, awa, DAY1)
    make_attendance(workshop, twin, DAY1)
    client.force_login(secretariat)
    url = reverse("workshops:person-merge", args=[awa.pk])

    found = client.get(url, {"q": "cisse"}).content.decode()
    assert "CISSE Awa" in found
    check = client.get(url, {"other": twin.pk}).content.decode()
    assert "+22370000010" in check
    client.post(url, {"other": twin.pk})

    assert list(Person.objects.all()) == [awa]
    assert workshop.attendances.get().presences.count() == 1


def test_abandoned_import_sheets_are_deleted_after_a_day(
    secretariat, django_capture_on_commit_callbacks
):
    workshop = make_workshop()
    old = AttendanceImport.objects.create(
        workshop=workshop, file_name="vieux.csv", file=ContentFile(b"Nom;Sexe\n", name="a.csv")
    )
    AttendanceImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    recent = AttendanceImport.objects.create(
        workshop=workshop, file_name="neuf.csv", file=ContentFile(b"Nom;Sexe\n", name="b.csv")
    )
    path = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_imports", stdout=None)

    assert list(AttendanceImport.objects.all()) == [recent]
    assert not Path(path).exists()
