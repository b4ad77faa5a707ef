"""The day of a workshop on a 360 px phone: the secretariat checks people in at the
door with JavaScript off, and a participant checks in by the day's QR code."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import choose_language, log_in
from tests.factories import make_user
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import Attendance, Person, Presence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 780}}

WORDS = {
    "fr": {
        "check-in": "Pointage à l'entrée",
        "search-label": "Nom ou téléphone",
        "search": "Rechercher",
        "mark": "Marquer présent·e",
        "present": "{} est présent·e.",
        "undo": "Annuler",
        "undone": "{} n'est plus marqué·e présent·e.",
        "counts": "{} présents",
        "count": "{} présent",  # 0 and 1 are singular in French
        "full-name": "Nom et prénom",
        "sex": "Sexe",
        "birth-year": "Année de naissance",
        "organisation": "Structure",
        "position": "Fonction",
        "phone": "Téléphone",
        "add": "Ajouter et marquer présent·e",
        "added": "{} est inscrit·e et présent·e.",
        "this-is": "C'est {} : marquer présent·e",
        "day-2": "jour 2",
        "qr": "QR code du jour",
        "woman": "Femme",
        "consent": "J'accepte",
        "submit": "Pointer",
        "thanks": "Le secrétariat va le confirmer.",
        "merge": "Fusionner avec la personne connue",
        "merged": "{} est présent·e (fusionné·e avec la personne connue).",
        "to-confirm": "Pointages en ligne à confirmer ({})",
    },
    "en": {
        "check-in": "Check-in at the door",
        "search-label": "Name or phone",
        "search": "Search",
        "mark": "Mark present",
        "present": "{} is present.",
        "undo": "Undo",
        "undone": "{} is no longer marked present.",
        "counts": "{} present",
        "count": "{} present",
        "full-name": "Full name",
        "sex": "Sex",
        "birth-year": "Year of birth",
        "organisation": "Organisation",
        "position": "Position",
        "phone": "Phone",
        "add": "Add and mark present",
        "added": "{} is registered and present.",
        "this-is": "This is {}: mark present",
        "day-2": "day 2",
        "qr": "QR code of the day",
        "woman": "Woman",
        "consent": "I agree",
        "submit": "Check in",
        "thanks": "The secretariat will confirm it.",
        "merge": "Merge with the known person",
        "merged": "{} is present (merged with the known person).",
        "to-confirm": "Self check-ins to confirm ({})",
    },
}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_secretariat_checks_people_in_at_the_door_without_javascript(
    live_server, browser, language
):
    words = WORDS[language]
    make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")
    make_organisation("Réseau des Femmes pour la Sécurité Humaine", "REFSH")
    today = timezone.localdate()
    workshop = make_workshop("Forum de Ségou", start_date=today, city="Ségou")
    make_attendance(workshop, make_person("Kadiatou Sangaré", sex="F", birth_year=1996))
    make_person("Awa Cissé", sex="F", phone="+22366778899")
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "secretariat@example.org", language=language)

    page.goto(f"{live_server.url}/workshops/{workshop.pk}/manage/")
    page.get_by_role("link", name=words["check-in"]).click()
    page.get_by_label(words["search-label"]).fill("SANGARE")
    page.get_by_role("button", name=words["search"]).click()
    page.get_by_role("button", name=f"{words['mark']} — Kadiatou Sangaré").click()
    expect(page.get_by_text(words["present"].format("Kadiatou Sangaré"))).to_be_visible()
    expect(page.get_by_label(words["search-label"])).to_have_value("SANGARE")
    shoot(page, f"j6-checkin-door-ticked-{language}")
    page.get_by_role("button", name=f"{words['undo']} — Kadiatou Sangaré").click()
    expect(page.get_by_text(words["undone"].format("Kadiatou Sangaré"))).to_be_visible()
    page.get_by_role("button", name=f"{words['mark']} — Kadiatou Sangaré").click()

    # A walk-in, with an organisation of the register typed by its acronym.
    walk_in = page.locator("#walk-in")
    walk_in.get_by_label(words["full-name"]).fill("Moussa Diarra")
    walk_in.get_by_label(words["sex"]).select_option("M")
    walk_in.get_by_label(words["birth-year"]).fill("2001")
    walk_in.get_by_role("textbox", name=words["organisation"]).fill("refsh")
    walk_in.get_by_label(words["position"]).fill("Animateur")
    walk_in.get_by_label(words["phone"]).fill("76 12 34 56")
    walk_in.get_by_role("button", name=words["add"]).click()
    expect(page.get_by_text(words["added"].format("Moussa Diarra"))).to_be_visible()

    # Someone already known: offered instead of a duplicate.
    walk_in.get_by_label(words["full-name"]).fill("CISSE Awa")
    walk_in.get_by_label(words["phone"]).fill("66 77 88 99")
    walk_in.get_by_role("button", name=words["add"]).click()
    shoot(page, f"j6-checkin-door-known-{language}")
    page.get_by_role("button", name=words["this-is"].format("Awa Cissé")).click()
    expect(page.get_by_text(words["present"].format("Awa Cissé"))).to_be_visible()
    expect(page.get_by_text(words["counts"].format(3))).to_be_visible()
    shoot(page, f"j6-checkin-door-{language}")

    assert Person.objects.count() == 3
    assert Presence.objects.filter(attendance__workshop=workshop, day=today).count() == 3
    page.get_by_role("link", name=words["day-2"]).click()
    expect(page.get_by_text(words["count"].format(0))).to_be_visible()
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_participant_checks_in_by_qr_code_and_is_merged(live_server, browser, page, language):
    words = WORDS[language]
    make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")
    today = timezone.localdate()
    workshop = make_workshop("Forum de Kati", start_date=today, city="Kati")
    known = make_person("Fanta Coulibaly", phone="+22376001122")
    log_in(page, live_server.url, "secretariat@example.org", language=language)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
    page.get_by_role("link", name=words["qr"]).click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    shoot(page, f"j6-checkin-qr-{language}")
    link = page.locator("main a[href*='/check-in/']").first.get_attribute("href")

    participant = browser.new_context(**PHONE).new_page()
    participant.goto(link)
    choose_language(participant, language)
    participant.get_by_label(words["full-name"]).fill("COULIBALY Fanta")
    participant.get_by_label(words["woman"], exact=True).check()
    participant.get_by_label(words["birth-year"]).fill("1999")
    participant.get_by_label(words["organisation"]).fill("Jeunes de Kati")
    participant.get_by_role("textbox", name=words["phone"]).fill("76 00 11 22")
    participant.get_by_label(words["consent"]).check()
    shoot(participant, f"j6-checkin-self-{language}")
    participant.get_by_role("button", name=words["submit"]).click()
    expect(participant.get_by_text(words["thanks"])).to_be_visible()
    shoot(participant, f"j6-checkin-self-thanks-{language}")
    participant.context.close()
    assert not Attendance.objects.exists()

    page.goto(f"{live_server.url}/workshops/{workshop.pk}/check-in/")
    expect(page.get_by_role("heading", name=words["to-confirm"].format(1))).to_be_visible()
    shoot(page, f"j6-checkin-to-confirm-{language}")
    page.get_by_role("button", name=f"{words['merge']} — COULIBALY Fanta").click()
    expect(page.get_by_text(words["merged"].format("COULIBALY Fanta"))).to_be_visible()
    expect(page.get_by_text(words["count"].format(1))).to_be_visible()
    assert Person.objects.count() == 1
    known.refresh_from_db()
    assert (known.sex, known.birth_year) == ("F", 1999)
