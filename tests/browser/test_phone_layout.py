"""At 360 px, in French and English, the staff's widest pages fit the screen."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Application, Organisation
from tests.browser.helpers import choose_language
from workshops.demo import FOUNDING_TITLE
from workshops.models import Workshop

# Links, buttons and fields of the content whose right edge passes the screen's.
OFF_SCREEN = """() => [...document.querySelectorAll('main a, main button, main input, main select')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width && r.right > innerWidth + 1; })
  .map(e => e.outerHTML.slice(0, 80))"""


def test_no_page_scrolls_sideways_and_every_action_is_on_screen(
    live_server, page, settings, screenshot
):
    settings.ACRSS_REQUIRE_MFA = False
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    founding = Workshop.objects.get(title=FOUNDING_TITLE)
    member = Organisation.objects.exclude(membership_status="none").first()
    waiting = Application.objects.awaiting_decision().first()
    pages = {
        "manage": reverse("workshops:manage", args=[founding.pk]),
        "presence": reverse("workshops:presence", args=[founding.pk]),
        "sheet": reverse("workshops:sign-in-sheet", args=[founding.pk, 1]),
        "report": reverse("reports:workshop", args=[founding.pk]),
        "reports": reverse("reports:set"),
        "applications": reverse("members:queue"),
        "application": reverse("members:application", args=[waiting.pk]),
        "organisations": reverse("members:organisations"),
        "organisation": reverse("members:organisation", args=[member.pk]),
    }
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill("secretariat@example.org")
    page.locator("#id_password").fill("demo-acrss-2022")
    page.locator("main button[type=submit]").click()
    expect(page.locator("details.menu")).to_be_visible()
    for language in ("fr", "en"):
        for name, path in pages.items():
            page.goto(live_server.url + path)
            choose_language(page, language)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
            assert page.evaluate(OFF_SCREEN) == [], name
            screenshot(f"phone-{name}-{language}")
