"""J1 and J2 in a real browser: an organisation applies from a phone, three
committee members vote, the applicant sees the decision. In French and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from members.models import Application
from tests.browser.helpers import log_in, log_out, open_menu
from tests.factories import PDF_BYTES, make_application, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WORDS = {
    "fr": {
        "my_organisation": "Mon organisation",
        "describe": "Présenter mon organisation",
        "save": "Enregistrer",
        "add_document": "Ajouter un document",
        "upload": "Envoyer",
        "submit": "Soumettre la demande",
        "confirm_submit": "Soumettre",
        "submitted": "Soumise",
        "applications": "Demandes d'adhésion",
        "approve": "Approuver",
        "vote": "Voter",
        "approved": "Approuvée",
        "member_since": "membre de l'alliance depuis",
        "receipt_subject": "Demande reçue",
        "welcome_subject": "Bienvenue dans l'alliance",
        "already": "Cette organisation est déjà enregistrée",
        "ask": "Demander une invitation à ses représentant·es",
        "asked": "Votre demande est envoyée aux représentant·es",
    },
    "en": {
        "my_organisation": "My organisation",
        "describe": "Describe my organisation",
        "save": "Save",
        "add_document": "Add a document",
        "upload": "Upload",
        "submit": "Submit the application",
        "confirm_submit": "Submit",
        "submitted": "Submitted",
        "applications": "Applications",
        "approve": "Approve",
        "vote": "Vote",
        "approved": "Approved",
        "member_since": "a member of the alliance since",
        "receipt_subject": "Application received",
        "welcome_subject": "Welcome to the alliance",
        "already": "This organisation is already registered",
        "ask": "Ask its representatives for an invitation",
        "asked": "Your request is sent to the representatives",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_organisation_applies_from_a_phone(
    live_server, page, mailoutbox, screenshot, tmp_path, language
):
    words = WORDS[language]
    applicant = make_user("awa.diarra@example.org", full_name="Awa Diarra")
    make_user("vote1@example.org", role="committee")
    log_in(page, live_server.url, applicant.email, language=language)

    open_menu(page)
    page.get_by_role("link", name=words["my_organisation"], exact=True).click()
    page.get_by_role("link", name=words["describe"]).click()
    page.locator("#id_name").fill("Réseau des Femmes de Kita")
    page.locator("#id_acronym").fill("RFK")
    page.locator("#id_kind").select_option("women")
    page.locator("#id_region").select_option("kita")
    page.locator("#id_locality").fill("Kita")
    page.locator("#id_phone").fill("76 12 34 56")
    page.locator("#id_registration_number").fill("0123/CKT")
    page.locator("#id_themes input[value=gender]").check()
    page.locator("#id_ccsc_purn_member").check()
    page.locator("#id_description").fill("Groupement de femmes pour la paix à Kita.")
    screenshot(f"j1-profile-{language}")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réseau des Femmes de Kita")

    document = tmp_path / "statuts.pdf"
    document.write_bytes(PDF_BYTES)
    for kind in ("statutes", "receipt"):
        page.get_by_role("link", name=words["add_document"]).click()
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_file").set_input_files(document)
        page.get_by_role("button", name=words["upload"]).click()
    screenshot(f"j1-ready-{language}")

    page.get_by_role("link", name=words["submit"]).click()
    page.get_by_role("button", name=words["confirm_submit"], exact=True).click()
    expect(page.locator(".badge").first).to_have_text(words["submitted"])
    screenshot(f"j1-submitted-{language}")

    assert Application.objects.get().status == "submitted"
    receipt = next(m for m in mailoutbox if m.to == [applicant.email])
    assert receipt.subject.startswith(words["receipt_subject"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("language", ["fr", "en"])
def test_three_committee_members_decide_and_the_applicant_sees_it(
    live_server, page, mailoutbox, screenshot, language
):
    words = WORDS[language]
    applicant = make_user("awa.diarra@example.org", full_name="Awa Diarra", language=language)
    application = make_application(applicant, status="submitted", name="Réseau des Femmes de Kita")
    committee = [make_user(f"vote{n}@example.org", role="committee") for n in range(1, 6)]

    for number, member in enumerate(committee[:3], start=1):
        log_in(page, live_server.url, member.email, language=language)
        open_menu(page)
        page.get_by_role("link", name=words["applications"]).click()
        page.get_by_role("link", name="Réseau des Femmes de Kita").click()
        expect(page.get_by_role("link", name="statutes.pdf")).to_be_visible()
        page.get_by_label(words["approve"]).check()
        page.get_by_role("button", name=words["vote"], exact=True).click()
        screenshot(f"j2-vote{number}-{language}")
        log_out(page, language=language)

    application.refresh_from_db()
    assert application.status == "approved"
    assert application.votes.count() == 3

    log_in(page, live_server.url, applicant.email, language=language)
    page.goto(live_server.url + "/membership/")
    expect(page.locator(".badge").first).to_have_text(words["approved"])
    expect(page.get_by_text(words["member_since"])).to_be_visible()
    screenshot(f"j2-applicant-{language}")
    decision = [m for m in mailoutbox if m.to == [applicant.email]][-1]
    assert decision.subject.startswith(words["welcome_subject"])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_newcomer_whose_organisation_is_registered_asks_its_representatives(
    live_server, page, mailoutbox, screenshot, language
):
    words = WORDS[language]
    mariam = make_user("mariam.toure@example.org", full_name="Mariam Touré")
    make_application(mariam, name="Réseau des Femmes de Kita", acronym="RFK")
    newcomer = make_user("awa.diarra@example.org")
    log_in(page, live_server.url, newcomer.email, language=language)

    page.goto(live_server.url + "/membership/")
    screenshot(f"j1-next-step-{language}")
    page.locator("main").get_by_role("link", name=words["describe"]).click()
    page.locator("#id_name").fill("Reseau des femmes de KITA")
    page.locator("#id_kind").select_option("women")
    page.locator("#id_region").select_option("kita")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["already"])
    screenshot(f"j1-already-registered-{language}")

    page.get_by_role("button", name=words["ask"]).click()
    expect(page.get_by_text(words["asked"])).to_be_visible()
    screenshot(f"j1-invitation-asked-{language}")
    assert mariam.email not in page.content()
    request = mailoutbox[-1]
    assert request.to == [mariam.email]
    assert newcomer.email in request.body
