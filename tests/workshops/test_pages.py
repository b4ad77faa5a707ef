"""The workshop pages as each persona meets them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from common.text import person_name_key
from members.models import Organisation
from tests.queries import queries_drawn_afresh
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.demo import tiny_pdf, tiny_png
from workshops.models import Attendance, AttendanceImport, Outcome, Person, Presence, Workshop
from workshops.services.files import add_file
from workshops.services.workshops import add_outcome

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)


@pytest.fixture
def workshop(secretariat):
    workshop = make_workshop(start_date=DAY1, end_date=DAY2, venue="Hôtel de l'Amitié")
    person = make_person(
        "Aminata Traoré",
        sex="F",
        phone="+22376123456",
        email="aminata@example.org",
        organisation=make_organisation("Réseau des Femmes", "REFSH"),
        position="Présidente",
    )
    make_attendance(workshop, person, DAY1)
    add_outcome(workshop, by=secretariat, kind="decision", text="L'alliance est créée.")
    add_file(
        workshop,
        kind="documents",
        by=secretariat,
        file=ContentFile(tiny_pdf("Note")),
        content_type="application/pdf",
        title="Note de position",
        is_public=True,
    )
    add_file(
        workshop,
        kind="documents",
        by=secretariat,
        file=ContentFile(tiny_pdf("Interne")),
        content_type="application/pdf",
        title="Rapport interne",
        is_public=False,
    )
    return workshop


def secretariat_urls(workshop: Workshop) -> list[str]:
    pk = workshop.pk
    attendance = workshop.attendances.get()
    outcome = workshop.outcomes.get()
    private = workshop.documents.get(is_public=False)
    return [
        reverse("workshops:create"),
        reverse("workshops:manage", args=[pk]),
        reverse("workshops:edit", args=[pk]),
        reverse("workshops:register", args=[pk]),
        reverse("workshops:attendance-edit", args=[pk, attendance.pk]),
        reverse("workshops:attendance-delete", args=[pk, attendance.pk]),
        reverse("workshops:presence", args=[pk]),
        reverse("workshops:sign-in-sheet", args=[pk, 1]),
        reverse("workshops:import", args=[pk]),
        reverse("workshops:people"),
        reverse("workshops:person-edit", args=[attendance.person_id]),
        reverse("workshops:person-merge", args=[attendance.person_id]),
        reverse("workshops:outcome-add", args=[pk]),
        reverse("workshops:outcome-edit", args=[pk, outcome.pk]),
        reverse("workshops:outcome-delete", args=[pk, outcome.pk]),
        reverse("workshops:document-add", args=[pk]),
        reverse("workshops:document-file", args=[pk, private.pk]),
        reverse("workshops:document-delete", args=[pk, private.pk]),
        reverse("workshops:photo-add", args=[pk]),
    ]


def test_a_visitor_is_sent_to_log_in_from_its_pages(client, workshop):
    workshop.is_public = True
    workshop.save()
    for url in secretariat_urls(workshop):
        if "/documents/" in url and url.rstrip("/").split("/")[-1].isdigit():
            continue  # a file's address is public for public files: 404 for a private one
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("persona", ["representative", "committee_member", "fes_partner"])
def test_everyone_but_the_secretariat_gets_404_on_its_pages(client, request, workshop, persona):
    workshop.is_public = True
    workshop.save()
    if user := request.getfixturevalue(persona):
        client.force_login(user)
    for url in secretariat_urls(workshop):
        assert client.get(url).status_code == 404, url
        # A page that is only read answers a POST with 405, to anyone.
        assert client.post(url).status_code in (404, 405), url
    assert Attendance.objects.count() == 1
    assert Outcome.objects.count() == 1


def test_a_private_workshop_does_not_exist_for_the_public(client, representative, workshop):
    client.force_login(representative)
    assert client.get(reverse("workshops:public", args=[workshop.pk])).status_code == 404
    assert workshop.title not in client.get(reverse("workshops:list")).content.decode()


def test_the_public_page_shows_outcomes_and_public_files_but_no_attendee(client, workshop):
    workshop.is_public = True
    workshop.summary = "Fondation de l'alliance."
    workshop.save()
    html = client.get(reverse("workshops:public", args=[workshop.pk])).content.decode()

    assert "Fondation de l" in html
    assert "alliance est créée." in html
    assert "Note de position" in html
    assert "Rapport interne" not in html
    for secret in ("Aminata", "Traoré", "+22376123456", "aminata@example.org", "REFSH"):
        assert secret not in html
    public_doc = workshop.documents.get(is_public=True)
    response = client.get(reverse("workshops:document-file", args=[workshop.pk, public_doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_secretariat_creates_a_workshop_and_registers_a_new_person(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Forum de Ségou",
            "kind": "forum",
            "status": "planned",
            "start_date": "2023-05-02",
            "end_date": "2023-05-03",
            "city": "Ségou",
            "region": "segou",
        },
    )
    workshop = Workshop.objects.get()
    assert response.url == reverse("workshops:manage", args=[workshop.pk])

    response = client.post(
        reverse("workshops:register", args=[workshop.pk]),
        {
            "full_name": "  Oumou   Sangaré ",
            "sex": "F",
            "age": "30",
            "phone": "76 00 00 01",
            "organisation": "Collectif Démo",
            "new_organisation": "on",
            "role": "speaker",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.phone, person.birth_year) == (
        "Oumou Sangaré",
        "+22376000001",
        1993,
    )
    assert person.organisation.name == "Collectif Démo"
    assert workshop.attendances.get().role == "speaker"


def test_registering_finds_people_without_accents_and_does_not_duplicate(
    client, secretariat, workshop
):
    other = make_workshop("Forum", start_date=DAY2, end_date=DAY2)
    client.force_login(secretariat)
    html = client.get(
        reverse("workshops:register", args=[other.pk]), {"q": "traore"}
    ).content.decode()
    assert "Aminata Traoré" in html
    person = Person.objects.get()
    client.post(
        reverse("workshops:register", args=[other.pk]), {"person": person.pk, "role": "participant"}
    )
    client.post(
        reverse("workshops:register", args=[other.pk]), {"person": person.pk, "role": "participant"}
    )
    assert other.attendances.count() == 1
    response = client.post(
        reverse("workshops:register", args=[other.pk]),
        {"full_name": "Aminata T.", "sex": "F", "phone": "76 12 34 56", "role": "participant",
         "organisation": "Réseau tout neuf", "new_organisation": "on"},
    )  # fmt: skip
    assert "déjà cet e-mail ou ce numéro" in response.content.decode()
    assert Person.objects.count() == 1
    # Nothing half-written: the new organisation went away with the refused person.
    assert not Organisation.objects.filter(name="Réseau tout neuf").exists()


def test_ticking_presence_replaces_the_days_present(client, secretariat, workshop):
    attendance = workshop.attendances.get()
    client.force_login(secretariat)
    client.post(
        reverse("workshops:presence", args=[workshop.pk]), {f"p-{attendance.pk}-{DAY2}": "on"}
    )
    assert list(Presence.objects.values_list("day", flat=True)) == [DAY2]


def test_the_sign_in_sheet_lists_registered_people_and_blank_rows(client, secretariat, workshop):
    client.force_login(secretariat)
    html = client.get(reverse("workshops:sign-in-sheet", args=[workshop.pk, 2])).content.decode()
    for text in (
        "Feuille de présence",
        "Jour 2 sur 2",
        "27 janvier 2022",
        "Hôtel de l&#x27;Amitié",
        "N°",
        "Nom et prénom",
        "Sexe",
        "Structure",
        "Fonction",
        "Téléphone",
        "Signature",
        "Aminata Traoré",
        "REFSH",
        "Présidente",
        "+22376123456",
    ):
        assert text in html, text
    assert html.count('class="blank"') >= 10
    assert "aminata@example.org" not in html
    assert client.get(reverse("workshops:sign-in-sheet", args=[workshop.pk, 3])).status_code == 404


def test_action_lines_need_a_horizon_and_others_have_none(client, secretariat, workshop):
    client.force_login(secretariat)
    url = reverse("workshops:outcome-add", args=[workshop.pk])
    response = client.post(url, {"kind": "action-line", "text": "Former les OSC.", "order": 2})
    assert "besoin de son horizon" in response.content.decode()
    client.post(
        url,
        {
            "kind": "action-line",
            "text": "Former les OSC.",
            "horizon": "short",
            "responsible": "Secrétariat",
            "status": "planned",
            "order": 2,
        },
    )
    client.post(url, {"kind": "priority", "text": "Les jeunes.", "horizon": "long", "order": 3})
    assert list(workshop.outcomes.values_list("kind", "horizon")) == [
        ("decision", ""),
        ("action-line", "short"),
        ("priority", ""),
    ]


def test_deleting_asks_first_then_removes(client, secretariat, workshop):
    client.force_login(secretariat)
    outcome = workshop.outcomes.get()
    url = reverse("workshops:outcome-delete", args=[workshop.pk, outcome.pk])
    assert (
        '<button type="submit" class="danger">Supprimer</button>'
        in client.get(url).content.decode()
    )
    assert Outcome.objects.exists()
    client.post(url)
    assert not Outcome.objects.exists()


def test_uploads_are_checked_by_content(client, secretariat, workshop):
    client.force_login(secretariat)
    fake = io.BytesIO(b"<html>not a picture</html>")
    fake.name = "photo.png"
    response = client.post(
        reverse("workshops:photo-add", args=[workshop.pk]), {"caption": "Photo", "file": fake}
    )
    assert "JPEG ou PNG" in response.content.decode()
    png = io.BytesIO(tiny_png())
    png.name = "famille.png"
    client.post(
        reverse("workshops:photo-add", args=[workshop.pk]),
        {"caption": "Photo de famille", "credit": "FES ©", "file": png, "is_public": "on"},
    )
    photo = workshop.photos.get()
    assert photo.content_type == "image/png"
    assert photo.file.name.startswith("workshops/")
    assert "famille" not in photo.file.name


def test_the_import_pages_preview_then_confirm(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    sheet = io.BytesIO("Nom et prénom;Sexe;Jour 1\nBakary Dembélé;M;x\n".encode())
    sheet.name = "feuille.csv"
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": sheet})
    preview = client.get(response.url)
    assert "Nouvelle personne" in preview.content.decode()
    assert Person.objects.count() == 1
    attendance_import = preview.context["attendance_import"]
    stored = attendance_import.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"action": "confirm"})
    assert Person.objects.count() == 2
    # The file is gone once written: confirming twice cannot write twice.
    assert client.post(response.url, {"action": "confirm"}).status_code == 404
    assert Person.objects.count() == 2
    assert not Path(stored).exists()
    # The report stays on the workshop's page, and downloads.
    page = client.get(reverse("workshops:manage", args=[workshop.pk])).content.decode()
    assert "feuille.csv" in page
    report = client.get(
        reverse("workshops:import-report", args=[workshop.pk, attendance_import.pk])
    )
    assert "Personnes ajoutées;;1" in b"".join(report.streaming_content).decode()


def test_a_cancelled_import_deletes_the_sheet_and_writes_nothing(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    sheet = io.BytesIO("Nom et prénom;Téléphone\nBakary Dembélé;76 00 00 01\n".encode())
    sheet.name = "feuille.csv"
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": sheet})
    stored = client.get(response.url).context["attendance_import"].file.path
    assert Path(stored).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"action": "cancel"})

    assert not Path(stored).exists()
    assert Person.objects.count() == 1
    assert not AttendanceImport.objects.exists()


def add_attendees(workshop, count: int) -> None:
    for n in range(count):
        person = make_person(f"Personne {n}", organisation=make_organisation(f"Structure {n}"))
        make_attendance(workshop, person, DAY1, DAY2)


@pytest.mark.parametrize(
    ("name", "args"),
    [("workshops:manage", []), ("workshops:presence", []), ("workshops:sign-in-sheet", [1])],
)
def test_list_pages_make_the_same_number_of_queries_whatever_the_data(
    client, secretariat, workshop, name, args
):
    client.force_login(secretariat)
    url = reverse(name, args=[workshop.pk, *args])
    client.get(url)
    few, _response = queries_drawn_afresh(client, url)
    add_attendees(workshop, 30)
    many, response = queries_drawn_afresh(client, url)
    assert many == few
    assert len(response.content) <= 30 * 1024


def test_the_workshop_list_makes_the_same_number_of_queries_whatever_the_data(client, secretariat):
    client.force_login(secretariat)
    make_workshop("Un")
    few, _response = queries_drawn_afresh(client, reverse("workshops:list"))
    for n in range(20):
        make_workshop(f"Atelier {n}")
    assert queries_drawn_afresh(client, reverse("workshops:list"))[0] == few


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4 a scanned sheet", "feuille.csv"),
        (b"\x81\x90\x8d;\r\x81", "feuille.csv"),
        (b"PK\x03\x04 not a workbook", "feuille.xlsx"),
    ],
)
def test_a_file_that_is_no_sheet_gets_a_sentence_and_is_not_kept(
    client, secretariat, workshop, content, name
):
    client.force_login(secretariat)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": upload})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not AttendanceImport.objects.exists()


def test_the_preview_lets_the_secretariat_name_an_organisation_of_the_register(
    client, secretariat, workshop
):
    untm = make_organisation("Union Nationale des Travailleurs du Mali", "UNTM")
    client.force_login(secretariat)
    sheet = io.BytesIO("Nom et prénom;Structure\nAwa Cissé;Syndicat national\n".encode())
    sheet.name = "feuille.csv"
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": sheet})
    page = client.get(response.url).content.decode()
    assert "Syndicat national" in page

    wrong = client.post(
        response.url, {"action": "confirm", "org-syndicatnational-existing": "UNTX"}
    )
    assert "Aucune structure «\u00a0UNTX\u00a0» dans le registre." in wrong.content.decode()
    client.post(response.url, {"action": "confirm", "org-syndicatnational-existing": "untm"})

    assert Person.objects.get(full_name="Awa Cissé").organisation == untm
    assert not Organisation.objects.filter(name="Syndicat national").exists()


def register_crowd(workshop, count: int) -> None:
    """`count` participants from one organisation, present both days, in four queries."""
    organisation = make_organisation("Coordination des OSC du Sahel", "COSAHEL")
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Participante numéro {n:03d}",
            name_key=person_name_key(f"Participante numéro {n:03d}"),
            sex="F",
            phone=f"+223760{n:05d}",
            organisation=organisation,
        )
        for n in range(count)
    )
    attendances = Attendance.objects.bulk_create(
        Attendance(workshop=workshop, person=person) for person in people
    )
    Presence.objects.bulk_create(
        Presence(attendance=attendance, day=day)
        for attendance in attendances
        for day in (DAY1, DAY2)
    )


def test_the_management_page_of_300_participants_shows_them_a_page_at_a_time(
    client, secretariat, workshop, settings
):
    settings.ACRSS_PAGE_SIZE = 50
    client.force_login(secretariat)
    url = reverse("workshops:manage", args=[workshop.pk])
    one, _response = queries_drawn_afresh(client, url)
    register_crowd(workshop, 300)
    crowd, response = queries_drawn_afresh(client, url)
    assert crowd == one
    html = response.content.decode()
    assert len(response.content) <= 30 * 1024
    assert "Participants (301)" in html
    assert html.count('class="row-action"') == 50
    assert "Page 1 sur 7" in html
    last = client.get(url + "?page=7").content.decode()
    assert last.count('class="row-action"') == 1
    assert "Participante numéro 299" in last


def test_the_secretariat_goes_from_a_workshop_to_its_report_in_one_click(
    client, secretariat, workshop
):
    client.force_login(secretariat)
    page = client.get(reverse("workshops:manage", args=[workshop.pk])).content.decode()
    report = reverse("reports:workshop", args=[workshop.pk])
    assert f'href="{report}">Rapport de participation</a>' in page
    assert client.get(report).status_code == 200
