"""The exports carry the page's figures, stream, keep personal contacts out,
and never hand a spreadsheet a formula to run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.workshops.factories import make_attendance, make_organisation, make_person

pytestmark = pytest.mark.django_db


def page_and_figures(client, url: str, **query):
    response = client.get(url, query)
    return response.content.decode(), response.context["figures"]


def expected_summary(figures) -> list[list]:
    return [[str(section), str(label), value] for section, label, value in figures.summary()]


def read_xlsx(response) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=False)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def read_csv(response) -> tuple[str, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return delimiter, list(csv.reader(io.StringIO(text), delimiter=delimiter))


def totals_on_page(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-figure="([\w-]+)">(\d+)<', html)}


def test_xlsx_summary_and_list_match_the_page(client, fes_partner, example):
    client.force_login(fes_partner)
    html, figures = page_and_figures(client, "/reports/", project=example.project.pk)
    response = client.get("/reports/export.xlsx", {"project": example.project.pk})

    assert response["Content-Disposition"].startswith(
        'attachment; filename="acrss-report-securite-pour-tous-'
    )
    sheets = read_xlsx(response)
    summary, per_workshop, rows = sheets["Résumé"], sheets["Ateliers"], sheets["Liste"]
    lines = [row[:3] for row in summary[4:]]
    expected = expected_summary(figures)
    assert [[s, label, float(v) if isinstance(v, Decimal) else v] for s, label, v in expected] == [
        [s, label, v] for s, label, v in lines
    ]
    # The page shows the same totals.
    figures_by_label = {label: value for _s, label, value in lines}
    assert totals_on_page(html) == {
        "workshops-held": figures_by_label["Ateliers tenus"],
        "participants": figures_by_label["Participants uniques"],
        "attendances": figures_by_label["Participations"],
        "person-days": figures_by_label["Jours-personnes de présence"],
        "organisations": figures_by_label["Structures différentes"],
    }
    assert per_workshop[1][0] == "Atelier national de création de l'AC-RSS"
    assert per_workshop[1][6:] == [4, 2, 1, 1, 2, 1, 1, 3, 7]
    # The list: one row per attendance; its counts agree with the summary.
    header, body = rows[0], rows[1:]
    assert header[:10] == ["Atelier", "Premier jour", "Nom", "Sexe", "Tranche d'âge",
                           "Structure", "Type de structure", "Région", "Rôle",
                           "Jours de présence"]  # fmt: skip
    assert len(body) == figures.attendances == 4
    assert sum(row[9] for row in body) == figures.person_days == 7
    assert Counter(row[3] for row in body) == {"Femme": 2, "Homme": 1, "Inconnu": 1}
    assert Counter(row[4] for row in body) == {"35 ans ou moins": 2, "36 ans ou plus": 1,
                                                "Inconnu (sans année de naissance)": 1}  # fmt: skip
    moussa = next(row for row in body if row[2] == "Moussa Diarra")
    assert moussa[9] == 1
    assert moussa[10].date().isoformat() == "2022-01-26"
    assert moussa[11] is None


def test_csv_exports_match_the_page_in_french(client, fes_partner, example):
    client.force_login(fes_partner)
    _html, figures = page_and_figures(client, "/reports/")

    delimiter, lines = read_csv(client.get("/reports/figures.csv"))
    assert delimiter == ";"
    summary = lines[1 : 1 + len(figures.summary())]
    expected = [
        [s, label, str(v).replace(".", ",") if isinstance(v, Decimal) else str(v)]
        for s, label, v in expected_summary(figures)
    ]
    assert summary == expected
    assert ["Part des femmes", "Part des valeurs connues (%)", "50,0"] in summary

    delimiter, rows = read_csv(client.get("/reports/list.csv"))
    header, body = rows[0], rows[1:]
    assert len(body) == figures.attendances == 6
    assert sum(int(row[9]) for row in body) == figures.person_days == 9
    assert len({row[2] for row in body}) == figures.participants == 5
    roles = Counter(row[8] for row in body)
    assert roles == {str(line.label): line.count for line in figures.by_role if line.count}
    assert "Jour 1" in header


def test_csv_uses_commas_in_english(client, fes_partner, example):
    client.force_login(fes_partner)
    client.cookies["django_language"] = "en"
    delimiter, lines = read_csv(client.get("/reports/figures.csv"))
    assert delimiter == ","
    assert ["Share of women", "Share of known values (%)", "50.0"] in lines


def test_an_english_export_summary_is_written_in_english(client, fes_partner, example):
    client.force_login(fes_partner)
    client.cookies["django_language"] = "en"
    url = f"/reports/workshops/{example.founding.pk}/"

    summary = read_xlsx(client.get(url + "export.xlsx"))["Summary"]
    heading, definition = summary[0][0], summary[1][0]
    assert heading == "Attendance report: Atelier national de création de l'AC-RSS"
    assert "(“40+”)" in definition
    assert ["Share of women", "Target met", "yes"] in [row[:3] for row in summary]
    _delimiter, lines = read_csv(client.get(url + "figures.csv"))
    assert ["Share of youth", "Share of known values (%)", "66.7"] in lines
    cells = [str(cell) for rows in (summary, lines) for row in rows for cell in row if cell]
    assert [cell for cell in cells if "«" in cell or " :" in cell] == []


def test_exports_never_carry_a_phone_number_or_an_e_mail_address(client, secretariat, example):
    client.force_login(secretariat)
    csv_body = b"".join(client.get("/reports/list.csv").streaming_content).decode("utf-8-sig")
    xlsx = read_xlsx(client.get("/reports/export.xlsx"))
    cells = " ".join(str(cell) for rows in xlsx.values() for row in rows for cell in row)
    for text in (csv_body, cells):
        assert "Awa Traoré" in text
        assert "76000001" not in text
        assert "awa@example.org" not in text


def test_cells_a_spreadsheet_would_run_are_written_as_text(client, fes_partner, example):
    rogue = make_organisation('=HYPERLINK("http://evil")', acronym="", kind="association")
    for name in ["=1+2", "+33 Sow", "-2+3", "@SUM(A1)"]:
        make_attendance(example.founding, make_person(name, organisation=rogue))
    client.force_login(fes_partner)
    url = f"/reports/workshops/{example.founding.pk}/"

    _delimiter, rows = read_csv(client.get(url + "list.csv"))
    names = {row[2] for row in rows[1:]}
    assert {"'=1+2", "'+33 Sow", "'-2+3", "'@SUM(A1)"} <= names
    assert all(row[5] == '\'=HYPERLINK("http://evil")' for row in rows[1:] if row[2][0] == "'")

    response = client.get(url + "export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in book["Liste"].iter_rows() for cell in row[2:6]]
    rogue_cells = [cell for cell in cells if cell.value and cell.value[0] in "=+-@"]
    assert len(rogue_cells) == 4 + 4  # four names, and the organisation on each of their rows
    assert [(cell.value, cell.data_type) for cell in rogue_cells if cell.data_type != "s"] == []


@pytest.mark.time_machine(dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False)
def test_file_names_carry_the_workshop_and_the_date(client, fes_partner, example):
    client.force_login(fes_partner)
    response = client.get(f"/reports/workshops/{example.founding.pk}/list.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="acrss-report-atelier-national-de-creation-de-lac-rss-'
        '2022-01-26-list-2025-03-04.csv"'
    )
