"""The secretariat imports a typed sheet on a phone-sized window, in French and in
English: checks the figures and each row, ticks one change to a known person, names
the kind of a new organisation, confirms, and finds the import's report on the
workshop's page; in English, looks and cancels. Then corrects how a sheet of two
tables is read (a column the guess left unused, a match with a known person) and
confirms it as shown; and leaves a day's tab of an ODS workbook out."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members.models import Organisation
from tests.browser.helpers import log_in
from tests.factories import make_user
from tests.workshops.factories import make_organisation, make_person, make_workshop
from workshops.models import Attendance, AttendanceImport, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHEETS = Path(__file__).resolve().parents[1] / "workshops" / "sheets"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

SHEET = (
    "FEUILLE DE PRÉSENCE - Atelier de Kayes\n"
    "Structure;Nom et prénom;Sexe;Âge;Téléphone;E-mail;Jour 1;Jour 2\n"
    "UNTM;Moussa Keïta;Masc.;1990-05-01 00:00:00;76 12 34 02;;x;x\n"
    "Réseau Jeunes de Kayes;Awa Coulibaly;Fém.;40+;;awa.c@example;x;\n"
    ";Seydou Koné;M;31 ans;70 00 00 09;;X;oui\n"
).encode("cp1252")


@pytest.fixture
def world():
    make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")
    make_organisation("Union Nationale des Travailleurs du Mali (UNTM)", "")
    make_person("Seydou Koné", phone="+22370000009")
    return make_workshop("Atelier de Kayes", status="held")


def upload(page, base_url: str, workshop, button: str) -> None:
    page.goto(f"{base_url}/workshops/{workshop.pk}/import/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "kayes.csv", "mimeType": "text/csv", "buffer": SHEET}]
    )
    page.get_by_role("button", name=button).click()


def test_import_preview_in_french_then_confirm(live_server, page, screenshot, world):
    log_in(page, live_server.url, "secretariat@example.org")
    upload(page, live_server.url, world, "Aperçu")

    expect(page.get_by_role("heading", name="Aperçu de l'import")).to_be_visible()
    figures = page.locator("ul.figures")
    expect(figures).to_contain_text("3 personnes")
    # Seydou is known with neither sex nor age: counted so until a change is ticked.
    expect(figures.locator("li").nth(1)).to_contain_text("1 / 1 / 1")  # women / men / unknown
    expect(figures.locator("li").nth(2)).to_contain_text("1 / 1 / 1")  # young / older / unknown
    expect(page.get_by_text("Âge « 40+ » : tranche d’âge plus de 35 ans.")).to_be_visible()
    expect(page.get_by_text("E-mail « awa.c@example » invalide : non enregistré.")).to_be_visible()
    expect(
        page.get_by_text("Union Nationale des Travailleurs du Mali (UNTM)").first
    ).to_be_visible()
    screenshot("j3-import-preview-fr")

    page.get_by_label("Sexe : Inconnu → Homme").check()
    page.get_by_label("Type").select_option("youth")
    page.get_by_role("button", name="Confirmer l'import").click()

    expect(
        page.get_by_text("Importé : 2 personnes ajoutées, 1 personne déjà connue")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Feuilles importées")).to_be_visible()
    expect(
        page.get_by_role("link", name="Télécharger le rapport de l’import (CSV)")
    ).to_be_visible()
    screenshot("j3-import-report-fr")
    seydou = Person.objects.get(full_name="Seydou Koné")
    assert (seydou.sex, seydou.birth_year) == ("M", None)
    assert Organisation.objects.get(name="Réseau Jeunes de Kayes").kind == "youth"
    assert not AttendanceImport.objects.get().file


def test_import_preview_in_english_then_cancel(live_server, page, screenshot, world):
    log_in(page, live_server.url, "secretariat@example.org", language="en")
    upload(page, live_server.url, world, "Preview")

    expect(page.get_by_role("heading", name="Import preview")).to_be_visible()
    expect(page.get_by_text("Age “40+”: age range over 35.")).to_be_visible()
    expect(page.get_by_text("Sex: Unknown → Man")).to_be_visible()
    screenshot("j3-import-preview-en")
    page.get_by_role("button", name="Cancel the import").click()

    expect(page.get_by_text("Import cancelled: the file is deleted.")).to_be_visible()
    screenshot("j3-import-cancelled-en")
    assert not AttendanceImport.objects.exists()
    assert Person.objects.count() == 1


TWO_TABLES = (
    "Liste de présence;;;;\n"
    "Nom et prénom;Sexe du participant;Structure;Jour 1;Jour 2\n"
    "Awa Cissé;F;REFSH;x;x\n"
    "Bakary Dembélé;M;REFSH;x;\n"
    ";;;;\n"
    "Facilitateurs;;;;\n"
    "Nom et prénom;Sexe du participant;Structure;Jour 1;Jour 2\n"
    "Rokia Doumbia;F;DCAF;x;x\n"
    "TOTAL;;;3;2\n"
).encode("cp1252")


@pytest.fixture
def two_days():
    make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")
    make_person("Awa Cissé", sex="F")
    return make_workshop(
        "Atelier de Mopti",
        status="held",
        start_date=datetime.date(2023, 5, 12),
        end_date=datetime.date(2023, 5, 13),
    )


def upload_file(page, base_url, workshop, name, mime, data, button):
    page.goto(f"{base_url}/workshops/{workshop.pk}/import/")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    page.get_by_role("button", name=button).click()


def test_a_reading_corrected_in_french_is_confirmed_as_shown(
    live_server, page, screenshot, two_days
):
    log_in(page, live_server.url, "secretariat@example.org")
    upload_file(page, live_server.url, two_days, "mopti.csv", "text/csv", TWO_TABLES, "Aperçu")

    warning = "Colonne « Sexe du participant » semble indiquer sexe mais n’est pas utilisée."
    expect(page.get_by_text(warning).first).to_be_visible()
    figures = page.locator("ul.figures")
    expect(figures).to_contain_text("3 personnes")
    expect(figures.locator("li").nth(1)).to_contain_text("0 / 0 / 3")
    expect(page.locator("#rows-read")).to_contain_text(
        "9 lignes lues = 3 lignes de personnes + 0 sans nom + 5 écartées + 1 vides."
    )
    expect(page.get_by_text("Un total, pas une personne.")).to_be_visible()
    page.get_by_text(warning).first.scroll_into_view_if_needed()
    screenshot("j3-import-reading-fr")

    for column in page.get_by_label("Colonne « Sexe du participant »").all():
        column.select_option("sex")
    page.get_by_label("Oui, la même personne").check()
    page.get_by_role("button", name="Recalculer avec cette lecture").first.click()

    expect(page.get_by_text("La feuille est relue comme vous l’avez choisi")).to_be_visible()
    expect(page.get_by_text(warning)).to_have_count(0)
    expect(figures.locator("li").nth(1)).to_contain_text("2 / 1 / 0")
    expect(page.get_by_label("Rôle des personnes de ce tableau").nth(1)).to_have_value(
        "facilitator"
    )
    screenshot("j3-import-reading-corrected-fr")
    page.get_by_role("button", name="Confirmer l'import").click()

    expect(
        page.get_by_text("Importé : 2 personnes ajoutées, 1 personne déjà connue")
    ).to_be_visible()
    assert Person.objects.filter(full_name="Awa Cissé").count() == 1
    assert sorted(Person.objects.values_list("sex", flat=True)) == ["F", "F", "M"]
    rokia = Attendance.objects.get(person__full_name="Rokia Doumbia")
    assert rokia.role == "facilitator"


def test_a_workbook_of_one_tab_per_day_in_english_with_a_tab_left_out(
    live_server, page, screenshot, two_days
):
    log_in(page, live_server.url, "secretariat@example.org", language="en")
    data = (SHEETS / "sikasso.ods").read_bytes()
    upload_file(page, live_server.url, two_days, "sikasso.ods", ODS, data, "Preview")

    figures = page.locator("ul.figures")
    expect(figures).to_contain_text("5 people")
    expect(page.get_by_label("Tab “Jour 2”")).to_have_value("2023-05-13")
    screenshot("j3-import-tabs-en")

    page.get_by_label("Tab “Jour 2”").select_option("skip")
    page.get_by_role("button", name="Recompute with this reading").first.click()

    expect(figures).to_contain_text("3 people")
    screenshot("j3-import-tab-left-out-en")
    page.get_by_role("button", name="Confirm the import").click()

    expect(page.get_by_text("Imported: 3 people added")).to_be_visible()
    assert Person.objects.get(full_name="Moussa Keïta").organisation.name == "AJCS"
