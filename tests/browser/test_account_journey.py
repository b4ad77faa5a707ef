"""A visitor signs up, confirms the address from the e-mail, logs in, reads the
portal in English and logs out: on a phone-sized window."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import open_menu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sign_up_confirm_log_in_switch_language_log_out(
    live_server, page, browser, mailoutbox, screenshot
):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="S'inscrire").first.click()

    page.get_by_label("Courriel").fill("awa.sidibe@example.org")
    page.get_by_label("Mot de passe :", exact=True).fill("Sahel-Bamako-2022")
    page.get_by_label("Mot de passe (confirmation)").fill("Sahel-Bamako-2022")
    screenshot("j0-signup-fr")
    page.get_by_role("button", name="Création de compte").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérifiez votre adresse e-mail")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["awa.sidibe@example.org"]
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mailoutbox[0].body).group(0)

    # The address is confirmed from the e-mail, often in another browser.
    mail_reader = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    mail_reader.goto(link.replace("http://testserver", live_server.url))
    mail_reader.get_by_role("button", name="Confirmer").click()
    expect(mail_reader.get_by_text("Vous avez confirmé awa.sidibe@example.org")).to_be_visible()
    mail_reader.context.close()

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Courriel").fill("awa.sidibe@example.org")
    page.get_by_label("Mot de passe").fill("Sahel-Bamako-2022")
    page.get_by_role("button", name="Connexion").click()
    # The next step, and only one: describing the organisation.
    expect(page).to_have_url(live_server.url + "/membership/")
    describe = page.locator("main").get_by_role("link", name="Présenter mon organisation")
    expect(describe).to_be_visible()
    screenshot("j0-next-step-fr")
    open_menu(page)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    screenshot("j0-logged-in-fr")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_menu(page)
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot("j0-logged-in-en")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not page.get_by_role("button", name="Log out").is_visible()
