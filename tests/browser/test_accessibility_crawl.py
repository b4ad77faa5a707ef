"""Every page a person of each role reaches, in French and English, on a 360 px phone,
passes axe-core's WCAG 2.1 A and AA rules; so do the forms that come back with errors.

One crawl per persona and language: from the home page and the persona's own pages,
breadth-first over the links, one page per URL pattern. A page whose content is the
same as one already checked in that language for another persona (their headers
differ, their `main` does not) is visited for its links but not checked again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import User
from members.models import Application, ApplicationStatus
from tests.browser.axe import crawl, describe, pattern_of, violations_of
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import choose_language, log_in
from tests.factories import PASSWORD, TOTP_SECRET, make_failed_email
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.demo import FOUNDING_TITLE
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_CRAWL = 40
# persona: (demo account, where the crawl starts besides the home page)
PERSONAS: dict[str, tuple[str | None, list[str]]] = {
    "anonymous": (None, ["/account/login/", "/account/signup/", "/directory/", "/workshops/"]),
    "representative-draft": ("contact.cam@example.org", ["/membership/"]),
    "representative-submitted": ("contact.gfls@example.org", ["/membership/"]),
    "representative-member": ("contact.amps@example.org", ["/membership/"]),
    "committee": ("committee1@example.org", ["/applications/", "/organisations/"]),
    "secretariat": (
        "secretariat@example.org",
        ["/workshops/", "/workshops/people/", "/organisations/", "/reports/", "/accounts/roles/"],
    ),
    "fes-partner": ("fes@example.org", ["/reports/"]),
    "admin": ("admin@example.org", ["/applications/", "/workshops/", "/reports/"]),
}
SHEET = {
    "name": "feuille.csv",
    "mimeType": "text/csv",
    "buffer": "Nom et prénom;Sexe;Téléphone;Jour 1\nAwa Cissé;F;76 55 44 33;x\n".encode("cp1252"),
}
CSRF_AND_NONCES = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


@dataclass
class Checks:
    """axe-core runs so far, and the content already checked in each language."""

    runs: int = 0
    visits: int = 0
    patterns: set[str] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def check(self, page: Page, where: str) -> None:
        self.runs += 1
        self.patterns.add(pattern_of(urlsplit(page.url).path))
        self.violations += describe(where, violations_of(page))

    def is_new(self, page: Page, language: str) -> bool:
        """Whether this page's `main` has not been checked yet in this language."""
        main = page.evaluate("() => document.querySelector('main')?.outerHTML ?? ''")
        digest = hashlib.sha1(CSRF_AND_NONCES.sub("", main).encode()).hexdigest()  # noqa: S324
        key = (language, urlsplit(page.url).path + digest)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


@pytest.fixture
def demo_world(settings):
    """The demo data, with the staff's second factor as in production, and a workshop
    held today so that the door and self check-in pages have something to show."""
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    User.objects.update(password=make_password(PASSWORD))
    for user in User.objects.filter(Q(groups__isnull=False) | Q(is_superuser=True)).distinct():
        TOTP.activate(user, TOTP_SECRET)
    today = timezone.localdate()
    workshop = make_workshop("Forum de Ségou", start_date=today, city="Ségou")
    make_attendance(workshop, make_person("Kadiatou Sangaré", sex="F", birth_year=1996))
    # An e-mail the mail server refused at every try, for the secretariat to send again.
    make_failed_email("representative@example.org")
    return {
        "founding": Workshop.objects.get(title=FOUNDING_TITLE),
        "today": workshop,
        "submitted": Application.objects.filter(status=ApplicationStatus.SUBMITTED).first(),
    }


def submit(page: Page, form: str) -> None:
    """Send a form as it is, past the browser's own checks, as an old phone's browser would."""
    page.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.locator(form).locator("[type=submit]").first.click()
    page.wait_for_load_state()


def error_states(persona: str, page: Page, base: str, world: dict, outbox) -> Iterator[str]:
    """Bring the persona's forms back with errors, one after the other, and open the
    pages no link leads to (those of an e-mail, a preview); yield after each."""
    founding, today = world["founding"].pk, world["today"].pk
    if persona == "anonymous":
        page.goto(base + "/account/login/")
        page.locator("#id_login").fill("nobody@example.org")
        page.locator("#id_password").fill("wrong-password")
        submit(page, "main form")
        yield "login, wrong password"
        page.goto(base + "/account/signup/")
        submit(page, "main form")
        yield "signup, empty"
        page.goto(base + "/account/signup/")
        page.locator("#id_email").fill("not-an-address")
        page.locator("#id_password1").fill("short")
        submit(page, "main form")
        yield "signup, invalid"
        page.goto(base + "/account/password/reset/")
        submit(page, "main form")
        yield "password reset, empty"
        page.goto(base + "/directory/?region=nowhere")
        yield "directory, unknown region"
        page.goto(base + "/account/signup/")
        page.locator("#id_email").fill(f"new.{len(outbox)}@example.org")
        page.locator("#id_password1").fill("Sahel-Bamako-2022")
        page.locator("#id_password2").fill("Sahel-Bamako-2022")
        submit(page, "main form")
        yield "signup, address to confirm"
        page.goto(base + re.search(r"/account/confirm-email/\S+/", outbox[-1].body)[0])
        yield "confirming the address (the e-mail's link)"
        page.context.clear_cookies()
    elif persona == "representative-draft":
        page.goto(base + "/membership/organisation/edit/")
        page.locator("#id_name").fill("")
        submit(page, "main form[method=post]")
        yield "organisation form, no name"
        page.goto(base + "/membership/documents/add/")
        submit(page, "main form[method=post]")
        yield "document, no file"
        page.goto(base + "/membership/invite/")
        page.locator("main input[type=email]").fill("not-an-address")
        submit(page, "main form[method=post]")
        yield "invitation, invalid address"
        page.locator("main input[type=email]").fill("contact.amps@example.org")
        submit(page, "main form[method=post]")
        yield "invitation, a representative of another organisation"
    elif persona == "committee":
        page.goto(base + "/membership/organisation/new/")
        submit(page, "main form[method=post]")
        yield "new organisation, empty"
        page.locator("#id_name").fill("AMPS")
        submit(page, "main form[method=post]")
        yield "new organisation, already registered"
        page.goto(base + f"/applications/{world['submitted'].pk}/")
        page.locator("input[name=choice][value=reject]").check()
        submit(page, "form[action$='/vote/']")
        yield "rejection without a reason"
        page.goto(base + f"/applications/{world['submitted'].pk}/request-information/")
        submit(page, "main form[method=post]")
        yield "request for information, empty"
    elif persona == "secretariat":
        page.goto(base + "/workshops/new/")
        submit(page, "main form[method=post]")
        yield "workshop form, empty"
        page.goto(base + f"/workshops/{founding}/import/")
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"\x00\x01 rien"}]
        )
        submit(page, "main form[method=post]")
        yield "import, a file that is no sheet"
        page.locator("input[type=file]").set_input_files(files=[SHEET])
        submit(page, "main form[method=post]")
        yield "import preview"
        page.goto(base + f"/workshops/{today}/check-in/")
        submit(page, "form[action$='/walk-in/']")
        yield "walk-in, empty"
        page.goto(base + f"/workshops/{founding}/participants/")
        submit(page, "main form[method=post]")
        yield "registration, empty"
        page.goto(base + f"/workshops/{founding}/outcomes/new/")
        submit(page, "main form[method=post]")
        yield "outcome, empty"
        page.goto(base + "/accounts/roles/?email=nobody@example.org")
        yield "roles, unknown address"
        page.goto(base + f"/workshops/{today}/check-in/qr-code/")
        yield "QR code of the day"
        link = page.locator("main a[href*='/check-in/']").first.get_attribute("href")
        page.goto(link)
        submit(page, "main form[method=post]")
        yield "self check-in, empty"


def test_every_page_and_error_state_passes_axe_for_every_persona_in_both_languages(
    live_server, axe_page, demo_world, mailoutbox
):
    page, base = axe_page, live_server.url
    checks = Checks()
    for persona, (email, starts) in PERSONAS.items():
        page.context.clear_cookies()
        for language in ("fr", "en"):
            if email and language == "fr":
                log_in(page, base, email, language=language)
            else:
                page.goto(base + "/")
                choose_language(page, language)
            for path in crawl(page, base, ["/", *starts], limit=PAGES_PER_CRAWL):
                checks.visits += 1
                if checks.is_new(page, language):
                    checks.check(page, f"{persona} {language} {path}")
            for state in error_states(persona, page, base, demo_world, mailoutbox):
                checks.check(page, f"{persona} {language} {state} ({page.url})")
    # Beside the screenshots, for a reviewer: what was checked.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "accessibility-crawl.txt").write_text(
        f"axe-core {checks.runs} runs ({checks.visits} pages visited) over "
        f"{len(checks.patterns)} URL patterns, {len(checks.violations)} violations\n"
        + "".join(f"{pattern}\n" for pattern in sorted(checks.patterns))
        + "".join(f"{violation}\n" for violation in checks.violations)
    )
    assert checks.violations == [], "\n".join(checks.violations)
