"""Steps that several journeys share, done as a person does them."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, current_totp_code

LOG_IN = {"fr": "Connexion", "en": "Sign In"}
LOG_OUT = {"fr": "Se déconnecter", "en": "Log out"}


def open_menu(page: Page) -> None:
    """On a phone the signed-in navigation folds into "Menu": open it, as a person would."""
    menu = page.locator("details.menu")
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()


def choose_language(page: Page, language: str) -> None:
    """Use the switcher in the header, as a reader of that language would."""
    if page.locator("html").get_attribute("lang") != language:
        page.get_by_role("button", name={"fr": "Français", "en": "English"}[language]).click()
        expect(page.locator("html")).to_have_attribute("lang", language)


def log_in(page: Page, base_url: str, email: str, *, language: str = "fr") -> None:
    """Log in with the password, then the authenticator code when the account has one."""
    page.goto(base_url + "/account/login/")
    choose_language(page, language)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=LOG_IN[language]).click()
    if "/2fa/" in page.url:
        page.locator("[name=code]").fill(current_totp_code())
        page.locator("main button[type=submit]").first.click()
    open_menu(page)
    expect(page.get_by_role("button", name=LOG_OUT[language])).to_be_visible()


def log_out(page: Page, *, language: str = "fr") -> None:
    open_menu(page)
    page.get_by_role("button", name=LOG_OUT[language]).click()
