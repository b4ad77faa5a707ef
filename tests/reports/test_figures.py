"""The report's figures on the hand-counted example of conftest.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.reports.conftest import JAN_26, JAN_27, MAR_28
from workshops.summaries import rebuild_summaries

pytestmark = pytest.mark.django_db


def counts(lines) -> dict[str, int]:
    return {line.key: line.count for line in lines}


# Years later, everyone keeps the age they had at the event.
@pytest.mark.time_machine(dt.datetime(2031, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_founding_workshop_report_counts_each_figure_as_done_by_hand(client, fes_partner, example):
    client.force_login(fes_partner)
    response = client.get(f"/reports/workshops/{example.founding.pk}/")

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.workshops_held == 1
    assert figures.participants == 4
    assert figures.attendances == 4
    assert figures.person_days == 7  # Moussa came one day of two
    assert [(line.day, line.count) for line in figures.per_day] == [(JAN_26, 4), (JAN_27, 3)]
    assert figures.organisations == 3
    assert counts(figures.by_sex) == {"F": 2, "M": 1, "U": 1}
    # Awa is 35 in 2022: young; Sidy 22; Moussa 36; Fatou's year of birth is unknown.
    assert counts(figures.by_age) == {"youth": 2, "older": 1, "unknown": 1}
    assert [row for _sex, row in figures.sex_by_age] == [[1, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert counts(figures.by_role) == {
        "participant": 3, "facilitator": 0, "speaker": 1, "organiser": 0,
        "official-guest": 0, "press": 0,
    }  # fmt: skip
    assert counts(figures.by_category) == {
        "acrss-member": 1, "ccsc-purn-member": 1, "public": 1, "partner": 0, "media": 0,
        "other-osc": 0, "unknown-kind": 0, "none": 1,
    }  # fmt: skip
    assert counts(figures.by_region) == {"bamako": 2, "segou": 1, "": 1}
    women, youth = figures.women, figures.youth
    assert (women.count, women.known, women.total) == (2, 3, 4)
    assert (women.percent_of_known, women.percent_of_all) == (Decimal("66.7"), Decimal("50.0"))
    assert (women.target, women.target_met) == (30, True)
    assert (youth.count, youth.known, youth.target, youth.target_met) == (2, 3, 70, False)


def test_the_page_shows_the_figures_the_definition_and_the_targets(client, fes_partner, example):
    client.force_login(fes_partner)
    html = client.get(
        f"/reports/workshops/{example.founding.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert '<dd data-figure="participants">4</dd>' in html
    assert '<dd data-figure="person-days">7</dd>' in html
    assert "66,7\u00a0%" in html
    assert "50,0\u00a0%" in html
    assert "atteint" in html
    assert "manqué" in html
    assert "35 ans ou moins" in html
    assert "<svg" in html
    assert "<title" in html
    # The sign-in list: names, never phone numbers or e-mail addresses.
    assert "Awa Traoré" in html
    assert "+22376000001" not in html
    assert "awa@example.org" not in html


def test_an_english_report_writes_shares_and_targets_the_english_way(client, fes_partner, example):
    client.force_login(fes_partner)
    client.cookies["django_language"] = "en"
    html = client.get(f"/reports/workshops/{example.founding.pk}/").content.decode()

    assert ">66.7%</td>" in html
    assert ">50.0%</td>" in html
    assert '30%: <strong class="met">met</strong>' in html
    assert '70%: <strong class="missed">missed</strong>' in html
    assert "(“40+”)" in html
    assert "<title>Women: 2</title>" in html
    assert " %" not in html
    assert "«" not in html


def test_a_french_report_never_wraps_a_percentage_away_from_its_sign(client, fes_partner, example):
    client.force_login(fes_partner)
    html = client.get(f"/reports/workshops/{example.founding.pk}/").content.decode()

    assert ">66,7\u00a0%</td>" in html
    assert '30\u00a0%\u00a0: <strong class="met">atteinte</strong>' in html
    assert "(«\u00a040+\u00a0»)" in html
    assert "<title>Femmes\u00a0: 2</title>" in html
    assert not re.search(r"\d %", html)


def test_set_report_counts_people_once_aged_at_their_first_workshop(client, fes_partner, example):
    client.force_login(fes_partner)
    figures = client.get("/reports/").context["figures"]

    # The DCAF training and the planned workshop are not FES's held workshops.
    assert figures.workshops_held == 2
    assert figures.participants == 5
    assert figures.attendances == 6
    assert figures.person_days == 9
    assert [(line.day, line.count) for line in figures.per_day] == [
        (JAN_26, 4),
        (JAN_27, 3),
        (MAR_28, 2),
    ]
    assert counts(figures.by_sex) == {"F": 2, "M": 2, "U": 1}
    # Awa counts once, young: she was 35 at the first of them.
    assert counts(figures.by_age) == {"youth": 3, "older": 1, "unknown": 1}
    assert counts(figures.by_role)["participant"] == 4
    assert counts(figures.by_role)["press"] == 1
    assert counts(figures.by_category)["media"] == 1
    assert figures.organisations == 4
    # No project chosen: the founding workshop's project has targets, the training none.
    assert (figures.women.target, figures.women.mixed) == (None, True)
    rows = {row["title"]: row for row in figures.rows}
    training = rows["Formation des formateurs"]
    # At the training Awa is 36: the row counts her as older.
    assert (training["participants"], training["women"], training["men"]) == (2, 1, 1)
    assert (training["youth"], training["older"], training["unknown_age"]) == (1, 1, 0)
    assert training["person_days"] == 2
    founding = rows["Atelier national de création de l'AC-RSS"]
    assert (founding["youth"], founding["older"], founding["unknown_age"]) == (2, 1, 1)
    assert founding["person_days"] == 7


def test_set_filtered_by_project_shows_its_targets(client, fes_partner, example):
    client.force_login(fes_partner)
    figures = client.get("/reports/", {"project": example.project.pk}).context["figures"]

    assert figures.workshops_held == 1
    assert figures.participants == 4
    assert figures.youth.target == 70
    assert figures.youth.target_met is False


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"kind": "formation"}, ["Formation des formateurs"]),
        ({"region": "bamako"}, ["Atelier national de création de l'AC-RSS"]),
        ({"start": "2023-01-01"}, ["Formation des formateurs"]),
        ({"end": "2022-12-31"}, ["Atelier national de création de l'AC-RSS"]),
    ],
)
def test_set_filters_by_kind_region_and_period(client, fes_partner, example, query, titles):
    client.force_login(fes_partner)
    figures = client.get("/reports/", query).context["figures"]
    assert [row["title"] for row in figures.rows] == titles


def test_secretariat_filters_by_funding_partner(client, secretariat, example, dcaf):
    client.force_login(secretariat)
    figures = client.get("/reports/", {"partner": dcaf.pk}).context["figures"]
    assert [row["title"] for row in figures.rows] == ["Formation DCAF"]


def test_youth_threshold_is_a_setting(client, fes_partner, example, settings):
    settings.ACRSS_YOUTH_MAX_AGE = 34
    # As `migrate` does after a deployment with a new limit.
    rebuild_summaries()
    client.force_login(fes_partner)
    figures = client.get(f"/reports/workshops/{example.founding.pk}/").context["figures"]
    assert counts(figures.by_age) == {"youth": 1, "older": 2, "unknown": 1}


def test_an_end_before_the_start_is_refused_and_counts_nothing(client, secretariat, example):
    client.force_login(secretariat)
    response = client.get("/reports/", {"start": "2023-01-01", "end": "2022-01-01"})
    assert response.context["form"].errors
    assert response.context["figures"].participants == 0
    # No download is offered of a set the filter cannot name.
    assert "/reports/export.xlsx" not in response.content.decode()
    assert "/reports/export.xlsx" in client.get("/reports/").content.decode()


def test_two_workshops_on_the_same_day_are_two_lines_of_presence(client, secretariat, example):
    client.force_login(secretariat)
    figures = client.get("/reports/").context["figures"]

    # The FES and DCAF trainings were both held on 28 March 2023.
    assert [(line.day, line.workshop, line.count) for line in figures.per_day][2:] == [
        (MAR_28, "Formation des formateurs", 2),
        (MAR_28, "Formation DCAF", 1),
    ]
    assert figures.person_days == 10


def test_a_set_shows_the_target_its_workshops_share(client, fes_partner, example):
    example.training.project = example.project
    example.training.save(update_fields=["project"])
    client.force_login(fes_partner)
    figures = client.get("/reports/").context["figures"]

    assert (figures.women.target, figures.women.mixed) == (30, False)
    assert figures.youth.target == 70
    assert "30\u00a0%" in client.get("/reports/").content.decode()


def test_a_set_whose_workshops_differ_says_mixed(client, fes_partner, example):
    client.force_login(fes_partner)
    page = client.get("/reports/").content.decode()
    assert "variable\u00a0: les ateliers ont des cibles différentes" in page


def test_an_export_with_an_invalid_filter_answers_400_with_the_reason(client, fes_partner, example):
    client.force_login(fes_partner)
    for name in ("reports:set-xlsx", "reports:set-figures-csv", "reports:set-list-csv"):
        response = client.get(reverse(name), {"start": "2023-01-01", "end": "2022-01-01"})
        assert response.status_code == 400
        assert "La fin de la période précède son début" in response.content.decode()
