"""A person's data rights: everything held on them, handed over; their
identity erased without changing any report figure; retention applied."""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from reports import exports
from reports.queries import build_figures, sign_in_rows
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import AgeGroup, AttendanceImport, ImportStatus, Person, Workshop
from workshops.services.people import create_person
from workshops.services.privacy import erase_person

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "Kadiatou Sangaré", "+22376543210", "kadiatou@example.org"


@pytest.fixture
def two_workshops(secretariat):
    """Kadiatou, 35 at the first workshop (youth) and 36 at the second (not youth)."""
    organisation = make_organisation("Femmes et Sécurité", "FESEC")
    first = make_workshop("Atelier 2022", start_date=datetime.date(2022, 1, 26), status="held")
    second = make_workshop("Forum 2023", start_date=datetime.date(2023, 3, 28), status="held")
    kadiatou = create_person(
        by=secretariat,
        full_name=NAME,
        phone=PHONE,
        email=EMAIL,
        sex="F",
        birth_year=1987,
        organisation=organisation,
        position="Présidente",
        region="kayes",
    )
    make_attendance(first, kadiatou, first.start_date, first.end_date)
    make_attendance(second, kadiatou, second.start_date, role="speaker")
    older = make_person("Bakary Coulibaly", sex="M", birth_year=1960)
    unknown = make_person("Fanta Sow", sex="F")
    make_attendance(first, older, first.start_date)
    make_attendance(second, unknown, second.start_date)
    return first, second, kadiatou


def every_figure() -> list:
    """Every figure the reports show, of each workshop and of the set, with the
    sign-in lists and the exported lists (names left out; lists sorted, as
    they are ordered by name)."""
    figures = []
    scopes = [Workshop.objects.filter(pk=w.pk) for w in Workshop.objects.all()]
    for scope in [*scopes, Workshop.objects.all()]:
        result = build_figures(scope)
        figures.append(dataclasses.asdict(result))
        rows = exports.list_rows(scope, result.youth_max_age, 2)
        figures.append(sorted((row[:2] + row[3:] for row in rows), key=str))
    for workshop in Workshop.objects.all():
        rows = sign_in_rows(workshop, 35, limit=1000)
        figures.append(sorted((row.age_group, row.present) for row in rows))
    return figures


def test_erasing_a_person_changes_no_report_figure(two_workshops, secretariat):
    *_workshops, _kadiatou = two_workshops
    before = every_figure()
    assert build_figures(Workshop.objects.all()).youth.count == 1
    for person in Person.objects.all():
        erase_person(person, by=secretariat)
    assert every_figure() == before


def test_an_erased_person_keeps_sex_organisation_roles_presence_and_age_groups(
    two_workshops, secretariat
):
    first, second, kadiatou = two_workshops
    erase_person(kadiatou, by=secretariat)
    kadiatou.refresh_from_db()
    assert (kadiatou.full_name, kadiatou.phone, kadiatou.email) == ("", "", "")
    assert (kadiatou.birth_year, kadiatou.position) == (None, "")
    assert (kadiatou.sex, kadiatou.organisation.acronym, kadiatou.region) == ("F", "FESEC", "kayes")
    attendances = {a.workshop: a for a in kadiatou.attendances.all()}
    assert attendances[first].age_group_at_event == AgeGroup.YOUTH
    assert attendances[second].age_group_at_event == AgeGroup.OLDER
    assert attendances[second].role == "speaker"
    assert attendances[first].presences.count() == 2
    assert not Person.objects.search("Kadiatou").exists()
    assert not Person.objects.search(PHONE).exists()


def test_nothing_of_an_erased_person_stays_in_the_audit_log(two_workshops, secretariat, client):
    *_workshops, kadiatou = two_workshops
    client.force_login(secretariat)
    client.get(reverse("workshops:person-export", args=[kadiatou.pk]))
    client.post(reverse("workshops:person-erase", args=[kadiatou.pk]))
    log = json.dumps(list(AuditEntry.objects.values()), default=str)
    for trace in ("Kadiatou", "Sangaré", "76543210", EMAIL, "1987", "Présidente"):
        assert trace not in log
    assert AuditEntry.objects.about(kadiatou).filter(action=AuditAction.PERSON_ERASED).exists()


def test_an_erased_person_leaves_no_trace_in_import_reports(two_workshops, secretariat):
    first, _second, kadiatou = two_workshops
    report = {
        "counts": {"rows": 2},
        "rows": [
            {"line": 3, "name": "SANGARE Kadiatou", "verdict": "matched", "refusal": "",
             "same_as": None, "notes": ["E-mail « kadiatou@example » invalide"], "changes": []},
            {"line": 4, "name": "Bakary Coulibaly", "verdict": "matched", "refusal": "",
             "same_as": None, "notes": ["Âge « 40+ »"], "changes": []},
        ],
    }  # fmt: skip
    confirmed = AttendanceImport.objects.create(
        workshop=first, file_name="jour1.csv", status=ImportStatus.CONFIRMED, report=report
    )
    erase_person(kadiatou, by=secretariat)
    confirmed.refresh_from_db()
    kept = json.dumps(confirmed.report, ensure_ascii=False)
    assert "Kadiatou" not in kept
    assert "kadiatou@example" not in kept
    assert "Bakary Coulibaly" in kept  # nobody else's row is touched


def test_the_secretariat_downloads_everything_held_on_a_person(two_workshops, secretariat, client):
    _first, _second, kadiatou = two_workshops
    client.force_login(secretariat)
    response = client.get(reverse("workshops:person-export", args=[kadiatou.pk]))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["full_name"] == NAME
    assert (data["person"]["phone"], data["person"]["email"]) == (PHONE, EMAIL)
    assert data["person"]["birth_year"] == 1987
    assert [a["workshop"] for a in data["attendances"]] == ["Atelier 2022", "Forum 2023"]
    assert data["attendances"][0]["days_present"] == ["2022-01-26", "2022-01-27"]
    exported = AuditEntry.objects.about(kadiatou).filter(action=AuditAction.PERSON_EXPORTED)
    assert exported.get().actor == secretariat


def test_erasure_asks_for_confirmation_and_says_what_stays(two_workshops, secretariat, client):
    *_workshops, kadiatou = two_workshops
    client.force_login(secretariat)
    page = client.get(reverse("workshops:person-erase", args=[kadiatou.pk]))
    assert NAME in page.content.decode()
    assert "aucun chiffre des rapports ne change" in page.content.decode()
    kadiatou.refresh_from_db()
    assert kadiatou.full_name == NAME
    response = client.post(reverse("workshops:person-erase", args=[kadiatou.pk]))
    assert response.status_code == 302
    kadiatou.refresh_from_db()
    assert kadiatou.erased_at is not None
    again = client.post(reverse("workshops:person-erase", args=[kadiatou.pk]), follow=True)
    assert "déjà effacée" in again.content.decode()


def test_retention_erases_people_whose_last_workshop_is_too_old(
    two_workshops, settings, capsys, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC))
    settings.ACRSS_RETENTION_YEARS = 3
    first, _second, kadiatou = two_workshops
    only_2022 = Person.objects.get(attendances__workshop=first, sex="M")
    call_command("apply_retention")
    output = capsys.readouterr().out
    assert "1 people erased" in output
    assert str(only_2022.pk) in output
    only_2022.refresh_from_db()
    kadiatou.refresh_from_db()
    assert only_2022.erased_at is not None
    assert kadiatou.erased_at is None


def test_without_a_retention_period_nobody_is_erased(two_workshops, settings, capsys):
    settings.ACRSS_RETENTION_YEARS = None
    call_command("apply_retention")
    assert "nobody erased" in capsys.readouterr().out
    assert not Person.objects.exclude(erased_at=None).exists()


@pytest.mark.parametrize(
    ("language", "years", "says"),
    [
        ("fr", None, "aucune durée d’effacement automatique"),
        ("fr", 5, "effacée automatiquement 5 ans après le dernier atelier"),
        ("en", 5, "erased automatically 5 years after the last workshop"),
        ("en", None, "no automatic erasure period is set"),
    ],
)
def test_the_privacy_page_says_what_is_done(client, settings, language, years, says):
    settings.ACRSS_RETENTION_YEARS = years
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("privacy")).content.decode()
    assert says in page
