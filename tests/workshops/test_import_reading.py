"""The secretariat corrects how a sheet is read, on the preview, without JavaScript:
a column mapped by hand, a row left out, a proposed match accepted; what is
confirmed is what was shown, and a confirmed header is read the same way next time."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import Attendance, ImportMapping, Person

pytestmark = pytest.mark.django_db

DAY1 = datetime.date(2023, 5, 12)
SHEET = (
    "Nom et prénom;Sexe du participant;Structure;Jour 1\n"
    "Awa Cissé;F;REFSH;x\n"
    "Bakary Dembélé;M;REFSH;x\n"
    "Mariam Touré;F;AJCS;x\n"
)


@pytest.fixture
def workshop():
    return make_workshop(start_date=DAY1, end_date=DAY1, status="held")


def upload(client, workshop, text: str = SHEET) -> str:
    sheet = io.BytesIO(text.encode())
    sheet.name = "feuille.csv"
    response = client.post(reverse("workshops:import", args=[workshop.pk]), {"file": sheet})
    return response.url


def figures(page) -> list[str]:
    html = page.content.decode()
    start = html.index('<ul class="figures">')
    return html[start : html.index("</ul>", start)]


def test_a_column_left_unused_is_said_and_once_mapped_counts(client, secretariat, workshop):
    client.force_login(secretariat)
    url = upload(client, workshop)
    page = client.get(url)
    assert (
        "Colonne «\u00a0Sexe du participant\u00a0» semble indiquer sexe mais n’est pas utilisée."
        in (page.content.decode())
    )
    assert "<strong>0 / 0 / 3</strong>" in figures(page)

    response = client.post(url, {"action": "recompute", "col-0:0-1": "sex"})

    assert response.status_code == 302
    page = client.get(url)
    assert "<strong>2 / 1 / 0</strong>" in figures(page)
    assert "semble indiquer" not in page.content.decode()
    client.post(url, {"action": "confirm"})
    assert sorted(Person.objects.values_list("sex", flat=True)) == ["F", "F", "M"]


def test_confirming_a_reading_not_yet_shown_shows_it_first(client, secretariat, workshop):
    client.force_login(secretariat)
    url = upload(client, workshop)

    response = client.post(url, {"action": "confirm", "col-0:0-1": "sex"})

    assert response.url == url
    assert Person.objects.count() == 0
    assert "<strong>2 / 1 / 0</strong>" in figures(client.get(url))


def test_a_row_left_out_by_hand_is_not_written_and_can_be_taken_back(client, secretariat, workshop):
    client.force_login(secretariat)
    url = upload(client, workshop)
    client.post(url, {"action": "recompute", "rows-shown": "1", "leave-out-3": "1"})
    page = client.get(url)
    assert "Laissée de côté à la main." in page.content.decode()
    assert "<strong>2</strong> personnes" in figures(page)

    client.post(url, {"action": "confirm"})

    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Awa Cissé",
        "Mariam Touré",
    ]


def test_a_match_on_name_alone_is_kept_apart_unless_the_secretariat_says_yes(
    client, secretariat, workshop
):
    known = make_person("Awa Cissé")
    make_attendance(make_workshop("Forum national", start_date=datetime.date(2022, 11, 8)), known)
    client.force_login(secretariat)
    url = upload(client, workshop)
    page = client.get(url).content.decode()
    assert "Awa Cissé\u00a0: la même personne que Awa Cissé, déjà dans le registre\u00a0?" in page
    assert 'value="no" id="same-2-no" checked' in page
    assert "même nom seulement; dernière venue le 08/11/2022" in page

    client.post(url, {"action": "recompute", "rows-shown": "1", "same-2": "yes"})
    client.post(url, {"action": "confirm"})

    assert Person.objects.filter(full_name="Awa Cissé").count() == 1
    assert Attendance.objects.filter(person=known, workshop=workshop).exists()


def test_a_match_refused_keeps_two_people(client, secretariat, workshop):
    make_person("Awa Cissé")
    client.force_login(secretariat)
    url = upload(client, workshop)

    client.post(url, {"action": "confirm"})

    assert Person.objects.filter(full_name="Awa Cissé").count() == 2


def test_a_confirmed_header_is_read_the_same_way_next_time(client, secretariat, workshop):
    client.force_login(secretariat)
    url = upload(client, workshop)
    client.post(url, {"action": "recompute", "col-0:0-1": "sex"})
    client.post(url, {"action": "confirm"})
    remembered = ImportMapping.objects.get()
    assert remembered.columns["1"] == "sex"
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT_MAPPING_REMEMBERED).count() == 1

    other = make_workshop("Atelier de Kayes", start_date=DAY1, end_date=DAY1)
    page = client.get(upload(client, other, SHEET.replace("Awa", "Fanta")))

    assert "<strong>2 / 1 / 0</strong>" in figures(page)
    assert "lue comme confirmée la dernière fois" in page.content.decode()


def test_a_total_taken_in_by_hand_is_read_as_a_person_and_text_above_cannot_be(
    client, secretariat, workshop
):
    client.force_login(secretariat)
    url = upload(client, workshop, "Liste\n" + SHEET + "Total;;;3\n")
    page = client.get(url).content.decode()
    assert 'name="take-in-6"' in page
    assert 'name="take-in-1"' not in page  # text above the first table

    client.post(url, {"action": "recompute", "rows-shown": "1", "take-in-6": "1", "take-in-1": "1"})

    assert "<strong>4</strong> personnes" in figures(client.get(url))
