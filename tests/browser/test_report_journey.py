"""J4: the FES demo account reads the founding workshop's report, filters the
set by project, downloads the XLSX and finds the page's figures in it; then
reads the report in English. On a phone-sized window."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.queries import build_figures
from tests.browser.helpers import open_menu
from workshops.demo import FOUNDING_TITLE
from workshops.models import Project, Workshop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def figure(page, name: str) -> int:
    return int(page.locator(f'[data-figure="{name}"]').inner_text())


def test_fes_reads_reports_and_downloads_the_figures(
    live_server, page, settings, screenshot, tmp_path
):
    # The demo accounts have no second factor: the demo only reminds them.
    settings.ACRSS_REQUIRE_MFA = False
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    founding = Workshop.objects.get(title=FOUNDING_TITLE)
    project = Project.objects.get(name="Sécurité pour tous")

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Courriel").fill("fes@example.org")
    page.get_by_label("Mot de passe").fill("demo-acrss-2022")
    page.get_by_role("button", name="Connexion").click()
    open_menu(page)
    page.get_by_role("link", name="Rapports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport de participation")
    # FES funds the founding workshop, the assembly and the forum; not DCAF's training.
    expect(page.get_by_text("Salle de formation du DCAF")).to_have_count(0)
    assert figure(page, "workshops-held") == 3
    screenshot("j4-reports-fr")

    page.get_by_role("link", name=FOUNDING_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FOUNDING_TITLE)
    one = build_figures(Workshop.objects.filter(pk=founding.pk), project=project)
    assert figure(page, "participants") == one.participants == 30
    assert figure(page, "person-days") == one.person_days
    expect(page.get_by_role("img", name="Femmes, hommes et jeunes par atelier")).to_be_visible()
    expect(page.get_by_text("Cible du projet")).to_be_visible()
    screenshot("j4-report-founding-fr")

    page.get_by_role("link", name="Tous les rapports").click()
    page.get_by_label("Projet").select_option(label="Sécurité pour tous")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(
        f"{live_server.url}/reports/?project={project.pk}&partner=&start=&end=&kind=&region="
    )
    whole = build_figures(Workshop.objects.filter(project=project).held(), project=project)
    assert figure(page, "participants") == whole.participants
    assert figure(page, "attendances") == whole.attendances
    screenshot("j4-report-project-fr")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("acrss-report-securite-pour-tous-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    summary = {
        (row[0], row[1]): row[2]
        for row in load_workbook(path)["Résumé"].iter_rows(min_row=5, values_only=True)
    }
    assert summary[("Totaux", "Participants uniques")] == figure(page, "participants")
    assert summary[("Totaux", "Participations")] == figure(page, "attendances")
    assert summary[("Totaux", "Jours-personnes de présence")] == figure(page, "person-days")
    assert summary[("Totaux", "Structures différentes")] == figure(page, "organisations")
    assert summary[("Par sexe", "Femme")] == whole.women.count
    assert summary[("Part des femmes", "Cible du projet (%)")] == 30
    assert summary[("Part des jeunes", "Valeurs connues")] == whole.youth.known
    for line in whole.by_region:
        assert summary[("Par région", str(line.label))] == line.count

    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/reports/workshops/{founding.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign-in list")).to_be_visible()
    expect(page.get_by_text("Shares of women and youth")).to_be_visible()
    assert figure(page, "participants") == 30
    screenshot("j4-report-founding-en")
    page.goto(f"{live_server.url}/reports/")
    screenshot("j4-reports-en")
    page.get_by_label("Project").select_option(label="Sécurité pour tous")
    page.get_by_role("button", name="Show").click()
    assert figure(page, "participants") == whole.participants
    screenshot("j4-report-project-en")
