"""The secretariat records a workshop on a phone-sized window: creates it,
registers three people, ticks presence, imports a typed sheet, adds an outcome,
and sees the public page without a single attendee."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import log_in, log_out, open_menu
from tests.factories import make_user
from tests.workshops.factories import make_organisation, make_person
from workshops.models import Person, Presence, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = (
    "FEUILLE DE PRÉSENCE - Forum de Ségou\n"
    "\n"
    "N°;Nom et prénom;Sexe;Structure;Téléphone;Jour 1;Jour 2\n"
    "1;SANGARE Kadiatou;F;REFSH;76 55 44 33;x;x\n"
    "2;Seydou Koné;M;Radio Démo;;x;\n"
    "3;;F;;;x;\n"
).encode("cp1252")


def test_secretariat_records_a_workshop_end_to_end(
    live_server, page, screenshot, settings, tmp_path
):
    make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")
    make_organisation("Réseau des Femmes pour la Sécurité Humaine", "REFSH")
    make_person("Kadiatou Sangaré", sex="F", phone="+22376554433")
    log_in(page, live_server.url, "secretariat@example.org")

    open_menu(page)
    page.get_by_role("link", name="Ateliers", exact=True).click()
    page.get_by_role("link", name="Nouvel atelier").click()
    page.get_by_label("Titre").fill("Forum régional de Ségou")
    page.get_by_label("Type").select_option("forum")
    page.get_by_label("Statut").select_option("held")
    page.get_by_label("Premier jour").fill("2023-05-02")
    page.get_by_label("Dernier jour").fill("2023-05-03")
    page.get_by_label("Ville").fill("Ségou")
    page.get_by_label("Résumé").fill("Les OSC de Ségou ont débattu de la RSS.")
    page.get_by_label("Public").check()
    screenshot("j3-workshop-create-fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Atelier créé.")).to_be_visible()

    # Three people: one found without accents, two new (one with a new organisation).
    page.get_by_role("link", name="Inscrire des participants").first.click()
    page.get_by_label("Chercher une personne").fill("sangare")
    page.get_by_role("button", name="Rechercher").click()
    page.locator("form.found").get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("Kadiatou Sangaré est inscrit·e.")).to_be_visible()
    for name, sex, phone, organisation in [
        ("Moussa Diarra", "M", "66 12 34 56", "REFSH"),
        ("Awa Cissé", "F", "", "Collectif des Jeunes de Ségou"),
    ]:
        new = page.locator("section.card").nth(1)
        new.get_by_label("Nom et prénom").fill(name)
        new.get_by_label("Sexe").select_option(sex)
        new.get_by_label("Téléphone").fill(phone)
        new.get_by_role("textbox", name="Structure").fill(organisation)
        if organisation != "REFSH":
            new.get_by_label("Absente du registre").check()
        new.get_by_role("button", name="Ajouter et inscrire").click()
        expect(page.get_by_text(f"{name} est inscrit·e.")).to_be_visible()
    screenshot("j3-workshop-register-fr")

    page.get_by_role("link", name="Présence").first.click()
    page.get_by_label("Moussa Diarra, 02/05/2023").check()
    page.get_by_label("Moussa Diarra, 03/05/2023").check()
    page.get_by_label("Awa Cissé, 02/05/2023").check()
    screenshot("j3-workshop-presence-fr")
    page.get_by_role("button", name="Enregistrer la présence").click()
    expect(page.get_by_text("Présence enregistrée : 3 ajoutée(s)")).to_be_visible()

    page.get_by_role("link", name="Importer une feuille").first.click()
    page.get_by_label("Feuille de présence saisie").set_input_files(
        files=[{"name": "feuille.csv", "mimeType": "text/csv", "buffer": SHEET}]
    )
    screenshot("j3-workshop-import-fr")
    page.get_by_role("button", name="Aperçu").click()
    expect(page.get_by_role("heading", name="Aperçu de l'import")).to_be_visible()
    expect(page.get_by_text("Personne connue", exact=True)).to_be_visible()
    expect(page.get_by_text("Nouvelle personne", exact=True)).to_be_visible()
    expect(page.get_by_text("Pas de nom.")).to_be_visible()
    screenshot("j3-workshop-import-preview-fr")
    assert Person.objects.count() == 3
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Importé : 1 personne ajoutée, 1 personne déjà connue")).to_be_visible()
    workshop = Workshop.objects.get()
    assert workshop.attendances.count() == 4
    assert Presence.objects.filter(attendance__workshop=workshop).count() == 3 + 3

    page.get_by_role("link", name="Ajouter un résultat").click()
    page.get_by_label("Type").select_option("action-line")
    page.get_by_label("Texte").fill("Former les OSC de Ségou à la G-RSS.")
    page.get_by_label("Horizon").select_option("short")
    page.get_by_label("Responsable").fill("Secrétariat")
    screenshot("j3-workshop-outcome-fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Résultat enregistré.")).to_be_visible()
    screenshot("j3-workshop-manage-fr")

    page.get_by_role("link", name="Page publique").first.click()
    expect(page.get_by_text("Former les OSC de Ségou")).to_be_visible()
    screenshot("j5-workshop-public-fr")
    log_out(page)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    body = page.locator("body").inner_text()
    for attendee in ("Kadiatou", "Moussa", "Awa", "Seydou", "+223", "REFSH"):
        assert attendee not in body
    assert "Former les OSC de Ségou" in body


def test_pages_in_english_and_the_printed_sign_in_sheet(live_server, page, screenshot):
    make_user("secretariat@example.org", role="secretariat")
    workshop = Workshop.objects.create(
        title="Atelier national",
        start_date="2022-01-26",
        end_date="2022-01-27",
        venue="Hôtel de l'Amitié",
        city="Bamako",
    )
    from workshops.services.attendance import register_attendance

    for n, name in enumerate(["Aminata Traoré", "Oumar Diallo", "Mariam Touré"]):
        register_attendance(
            workshop, make_person(name, sex="FMF"[n], phone=f"+2237600000{n}"), by=None
        )
    log_in(page, live_server.url, "secretariat@example.org")
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/manage/")
    expect(page.get_by_role("link", name="Register participants").first).to_be_visible()
    screenshot("j3-workshop-manage-en")
    # The journey's other steps, as an English reader sees them.
    for step, path in [
        ("create", "/workshops/new/"),
        ("register", f"/workshops/{workshop.pk}/participants/"),
        ("presence", f"/workshops/{workshop.pk}/presence/"),
        ("import", f"/workshops/{workshop.pk}/import/"),
        ("outcome", f"/workshops/{workshop.pk}/outcomes/new/"),
        ("sign-in-sheet", f"/workshops/{workshop.pk}/sheet/1/"),
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        screenshot(f"j3-workshop-{step}-en")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    screenshot("j5-workshop-public-en")

    page.get_by_role("button", name="Français").click()
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/sheet/1/")
    expect(page.get_by_text("Jour 1 sur 2")).to_be_visible()
    screenshot("j3-workshop-sign-in-sheet-fr")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1123, "height": 794})
    screenshot("j3-workshop-sign-in-sheet-print")
    pdf = Path(SCREENSHOTS / "sign-in-sheet.pdf")
    page.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
