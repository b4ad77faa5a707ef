"""A report's number of queries does not grow with its workshops or attendees."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from checkin.services import mark_absent
from tests.queries import on_each_cache
from tests.test_budgets import HTML_BUDGET, PAGE_BUDGET, page_weight
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops.models import Project, Workshop

pytestmark = pytest.mark.django_db


def add_workshops(count: int, people_each: int, funder) -> None:
    organisation = make_organisation(f"Association {count}-{people_each}", f"A{count}{people_each}")
    for n in range(count):
        day = datetime.date(2022, 2, 1) + datetime.timedelta(days=7 * n)
        workshop = make_workshop(f"Atelier {count}-{n}", start_date=day, status="held")
        workshop.funders.set([funder])
        for p in range(people_each):
            person = make_person(f"Personne {count} {n} {p}", sex="FMU"[p % 3],
                                 birth_year=1960 + p % 50, organisation=organisation)  # fmt: skip
            make_attendance(workshop, person, day, day + datetime.timedelta(days=1))


def queries_of(client, url: str) -> int:
    # A request empties the query log when it starts: start counting from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/reports/", "/reports/export.xlsx", "/reports/list.csv"])
def test_set_report_and_exports_cost_the_same_queries_for_more_data(client, fes_partner, fes, url):
    client.force_login(fes_partner)
    add_workshops(1, 2, fes)
    small = queries_of(client, url)
    add_workshops(6, 9, fes)
    assert queries_of(client, url) == small > 3


def test_workshop_report_costs_the_same_queries_for_more_attendees(client, fes_partner, fes):
    client.force_login(fes_partner)
    add_workshops(1, 2, fes)
    add_workshops(1, 30, fes)
    small, large = (w.pk for w in fes.funded_workshops.order_by("pk"))
    assert queries_of(client, f"/reports/workshops/{large}/") == queries_of(
        client, f"/reports/workshops/{small}/"
    )


def test_set_report_page_makes_a_fixed_small_number_of_queries(
    client, fes_partner, fes, django_assert_max_num_queries
):
    add_workshops(3, 5, fes)
    client.force_login(fes_partner)
    # The workshops' versions, the funding organisation, two filter lists, and the
    # figures (rows, summaries, people, presences); on the database cache also the
    # session, the user kept with it, the seven parts it looks up and keeps, and
    # two claims (to draw the page, to count the figures but presences), taken and
    # let go (a read costs one query there, a write five, a delete one).
    with django_assert_max_num_queries(
        on_each_cache(redis=13, database=7 + 1 + 8 + (7 + 2) * 5 + 2)
    ):
        client.get("/reports/")


def test_report_pages_fit_the_budget_with_many_workshops_and_attendees(client, fes_partner, fes):
    add_workshops(20, 3, fes)
    add_workshops(1, 60, fes)
    client.force_login(fes_partner)
    html_bytes, total, _assets = page_weight(client, "/reports/")
    assert html_bytes <= HTML_BUDGET
    assert total <= PAGE_BUDGET
    assert "21" in client.get("/reports/").content.decode()  # the note names all 21 workshops
    largest = fes.funded_workshops.order_by("-pk").first()
    html_bytes, total, _assets = page_weight(client, f"/reports/workshops/{largest.pk}/")
    assert html_bytes <= HTML_BUDGET
    assert total <= PAGE_BUDGET


def test_a_report_seen_again_reads_its_figures_from_the_cache(client, fes_partner, fes):
    add_workshops(3, 5, fes)
    client.force_login(fes_partner)
    first = queries_of(client, "/reports/")
    # The page is kept under its workshops' versions: reading them is all it costs
    # beyond the scope and filter (session, user, groups, funder, filter lists…).
    assert queries_of(client, "/reports/") < first
    add_workshops(1, 2, fes)
    assert queries_of(client, "/reports/") == first


def test_the_list_starts_before_any_figure_is_counted(client, fes_partner, fes):
    add_workshops(3, 5, fes)
    client.force_login(fes_partner)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/reports/list.csv")
        first = next(iter(response.streaming_content))
    assert first.decode("utf-8-sig").startswith("Atelier;Premier jour;Nom;")
    assert first.count(b"\n") == 1  # the header alone, sent before any row is read
    figure_tables = ("workshops_presence", "workshops_person")
    assert not [q for q in captured.captured_queries if any(t in q["sql"] for t in figure_tables)]


def test_a_large_workshop_report_fits_the_budget_and_points_to_the_full_list(
    client, fes_partner, fes
):
    add_workshops(1, 200, fes)
    client.force_login(fes_partner)
    workshop = fes.funded_workshops.get()
    html_bytes, total, _assets = page_weight(client, f"/reports/workshops/{workshop.pk}/")
    assert html_bytes <= HTML_BUDGET
    assert total <= PAGE_BUDGET
    html = client.get(f"/reports/workshops/{workshop.pk}/").content.decode()
    assert "Les 60 premières personnes sur 200" in html


def test_a_project_target_changed_in_the_admin_shows_in_the_report_at_once(
    client, fes_partner, fes
):
    add_workshops(1, 3, fes)
    project = Project.objects.create(name="Projet Paix", women_target_percent=10)
    project.funders.set([fes])
    Workshop.objects.update(project=project)
    client.force_login(fes_partner)
    url = f"/reports/?project={project.pk}"
    assert "10\u00a0%" in client.get(url).content.decode()

    project.women_target_percent = 90
    project.save()
    assert "90\u00a0%" in client.get(url).content.decode()


def test_a_partner_added_to_a_project_reads_its_workshops_at_once(client, fes_partner, fes):
    add_workshops(1, 3, make_organisation("Autre bailleur", "AB"))
    project = Project.objects.create(name="Projet Paix")
    Workshop.objects.update(project=project)
    client.force_login(fes_partner)
    assert "0</dd>" in client.get("/reports/").content.decode()

    project.funders.add(fes)
    html = client.get("/reports/").content.decode()
    assert '<dd data-figure="attendances">3</dd>' in html


def test_a_kept_report_with_a_bad_filter_still_says_so_in_its_title(client, fes_partner, fes):
    add_workshops(1, 2, fes)
    client.force_login(fes_partner)
    url = "/reports/?start=2024-05-01&end=2024-01-01"
    for _seen in ("drawn", "kept"):
        html = client.get(url).content.decode()
        assert "<title>Erreur\u00a0: Rapport de participation" in html
        assert "La fin de la période précède son début." in html


def test_a_door_check_in_recounts_only_the_presences_of_a_report(
    client, fes_partner, fes, secretariat
):
    """On the day of a workshop, a tick at the door leaves every figure but presences
    kept, and the filter's choices too: the reports show the new presences at once,
    for the price of counting them alone."""
    add_workshops(3, 5, fes)
    client.force_login(fes_partner)
    workshop = fes.funded_workshops.order_by("pk").first()
    urls = ["/reports/", f"/reports/workshops/{workshop.pk}/", "/reports/?start=2022-02-01"]
    person_days = {url: person_days_of(client.get(url)) for url in urls}
    mark_absent(workshop.attendances.first(), day=workshop.start_date, by=secretariat)
    for url in urls:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert person_days_of(page) == person_days[url] - 1, url
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        assert "workshops_workshopday" in sql, url  # presences, counted again
        # No summary of people, no attendances classified, no filter's choices.
        assert "participants" not in sql, url
        assert "workshops_attendancefact" not in sql, url
        assert 'SELECT DISTINCT "workshops_project"' not in sql, url


def person_days_of(page) -> int:
    html = page.content.decode()
    return int(html.split('data-figure="person-days">', 1)[1].split("<", 1)[0])
