"""J5: a visitor reads the public pages on a phone, in French and in English: the home
page, the directory filtered by region (and an old link with an unknown region), the
workshops and one workshop's page, without a single attendee's name."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import choose_language
from tests.factories import make_organisation
from tests.workshops.factories import make_attendance, make_person, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "fr": {
        "directory": "Annuaire",
        "region": "Région",
        "search": "Rechercher",
        "workshops": "Ateliers",
        "unknown": "«\u00a0nowhere\u00a0» n'est pas une région connue.",
        "none": "0 organisation",
    },
    "en": {
        "directory": "Directory",
        "region": "Region",
        "search": "Search",
        "workshops": "Workshops",
        "unknown": "“nowhere” is not a known region.",
        "none": "0 organisations",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_reads_the_directory_and_a_workshop(live_server, page, screenshot, language):
    words = WORDS[language]
    for name, acronym, region in [
        ("Réseau des Femmes de Kita", "RFK", "kita"),
        ("Jeunesse Citoyenne de Ségou", "JCS", "segou"),
    ]:
        make_organisation(
            name, acronym, region=region, membership_status="member", listed_in_directory=True
        )
    workshop = make_workshop(
        "Forum de Ségou",
        start_date=datetime.date(2023, 5, 2),
        city="Ségou",
        is_public=True,
        status="held",
        summary="Les OSC de Ségou ont débattu de la RSS.",
    )
    make_attendance(workshop, make_person("Kadiatou Sangaré", sex="F"))

    page.goto(live_server.url + "/")
    choose_language(page, language)
    screenshot(f"j5-home-{language}")

    page.get_by_role("link", name=words["directory"], exact=True).first.click()
    page.get_by_label(words["region"]).select_option("kita")
    page.get_by_role("button", name=words["search"]).click()
    expect(page.get_by_role("heading", name="Réseau des Femmes de Kita")).to_be_visible()
    expect(page.get_by_text("Jeunesse Citoyenne de Ségou")).to_have_count(0)
    screenshot(f"j5-directory-{language}")

    page.goto(live_server.url + "/directory/?region=nowhere")
    expect(page.get_by_role("alert")).to_contain_text(words["unknown"])
    expect(page.get_by_text(words["none"], exact=True)).to_be_visible()
    screenshot(f"j5-directory-unknown-region-{language}")

    page.get_by_role("link", name=words["workshops"], exact=True).first.click()
    page.get_by_role("link", name="Forum de Ségou").click()
    expect(page.get_by_text("Les OSC de Ségou ont débattu de la RSS.")).to_be_visible()
    assert "Kadiatou" not in page.locator("body").inner_text()
    screenshot(f"j5-workshop-{language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
