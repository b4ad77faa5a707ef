"""Sheets of every shape secretariats keep, each counted by hand: the preview's totals,
the confirmed import and the workshop's report give the hand count, and every row
and column read is accounted for."""

from __future__ import annotations

import random

import pytest
from django.core.files.base import ContentFile

from members.models import Organisation
from reports.queries import build_figures
from tests.workshops.factories import make_workshop
from tests.workshops.sheets.shapes import DAY1, DAY2, SHAPES, Shape, Truth, text, xlsx
from workshops import importing
from workshops.importing.headers import text_of
from workshops.models import Person, Workshop
from workshops.services.imports import confirm_import, start_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return make_workshop(start_date=DAY1, end_date=DAY2, status="held")


def preview(shape: Shape, workshop) -> importing.Plan:
    sheet = importing.read_sheet(shape.data, shape.filename, workshop)
    return importing.plan_import(sheet, workshop, default_day=shape.default_day)


def truth_of_plan(plan: importing.Plan) -> Truth:
    totals = plan.totals
    return Truth(
        totals.people,
        (totals.women, totals.men, totals.unknown_sex),
        (totals.youth, totals.older, totals.unknown_age),
        tuple(count for _day, count in totals.per_day),
        totals.organisations,
        totals.roles,
    )


def truth_of_report(workshop) -> Truth:
    figures = build_figures(Workshop.objects.filter(pk=workshop.pk))
    by_sex = {line.key: line.count for line in figures.by_sex}
    by_age = {line.key: line.count for line in figures.by_age}
    per_day = {line.day: line.count for line in figures.per_day}
    return Truth(
        figures.participants,
        (by_sex.get("F", 0), by_sex.get("M", 0), by_sex.get("U", 0)),
        (by_age.get("youth", 0), by_age.get("older", 0), by_age.get("unknown", 0)),
        (per_day.get(DAY1, 0), per_day.get(DAY2, 0)),
        figures.organisations,
        {line.key: line.count for line in figures.by_role if line.count},
    )


def assert_everything_is_accounted_for(plan: importing.Plan, tabs: list) -> None:
    """Rows read = rows of people + rows skipped with a reason; every header listed."""
    assert plan.rows_read == plan.people_rows + plan.refused + plan.skipped + plan.empty_rows
    assert all(row.refusal for row in plan.rows if not row.is_person)
    sheet = plan.sheet
    # Every row with something in it, in every tab read, is a line with its verdict,
    # but for a row numbered in advance and left empty.
    lines = {(line.tab, line.number) for line in sheet.lines}
    for tab in sheet.tabs:
        if not tab.read:
            continue
        for number, cells in enumerate(tabs[tab.index].cells, start=1):
            filled = [text_of(cell) for cell in cells if text_of(cell)]
            if filled and (tab.index, number) not in lines:
                assert len(filled) == 1
                assert filled[0].isdigit()
    for table in sheet.tables:
        listed = {column.index: column for column in table.columns}
        header_row = next(
            line.cells for line in sheet.lines if line.table is table and line.skip == "header"
        )
        for index, cell in enumerate(header_row):
            if text_of(cell):
                assert listed[index].header == text_of(cell)
                assert listed[index].field or listed[index] in table.unused


@pytest.mark.parametrize("make", SHAPES, ids=lambda make: make.__name__)
def test_the_preview_the_import_and_the_report_give_the_hand_count(make, workshop, secretariat):
    shape = make()
    plan = preview(shape, workshop)

    assert_everything_is_accounted_for(plan, importing.read_tabs(shape.data, shape.filename))
    assert truth_of_plan(plan) == Truth(**{**shape.truth.__dict__, "organisation_of": {}})
    assert not plan.sheet.warnings()

    attendance_import = start_import(
        workshop,
        by=secretariat,
        upload=ContentFile(shape.data, name=shape.filename),
        day=shape.default_day,
    )
    confirm_import(attendance_import, by=secretariat)

    assert truth_of_report(workshop) == Truth(**{**shape.truth.__dict__, "organisation_of": {}})
    for name, organisation in shape.truth.organisation_of.items():
        assert Person.objects.get(full_name=name).organisation == Organisation.objects.get(
            name=organisation
        )


def test_the_corpus_holds_at_least_fifteen_shapes():
    assert len({make().name for make in SHAPES}) >= 15


FIRST = ["Awa", "Moussa", "Fatoumata", "Oumar", "Kadiatou", "Seydou", "Mariam", "Bakary"]
LAST = ["Traoré", "Keïta", "Diarra", "Koné", "Cissé", "Maïga", "Sangaré", "Dembélé"]
OPTIONAL = {
    "sex": (["Sexe", "Sexe (H/F)", "Genre", "Gender"], ["F", "M", "H", "Femme", "", "?"]),
    "age": (["Âge", "Âge/Age", "Age (ans)", "Tranche d'âge"], [29, "40+", "36 et +", "", 51]),
    "organisation": (["Structure", "Organisation", "Structure/OSC"], ["AJCS", "UNTM", ""]),
    "phone": (["Téléphone", "Tél.", "Contact"], ["", "76 00 00 0{n}", 66000000]),
    "position": (["Fonction", "Poste"], ["Président", "", "Membre"]),
}


def random_sheet(seed: int) -> tuple[bytes, str, int, int]:
    """A sheet made at random from the pieces secretariats type; with the number of
    rows of people and of rows without a name it holds."""
    rng = random.Random(seed)  # noqa: S311  (a test's reproducible data, no secret)
    columns = ["name", *rng.sample(sorted(OPTIONAL), rng.randint(1, len(OPTIONAL)))]
    columns += rng.sample(["Jour 1", "Jour 2"], rng.randint(0, 2))
    rng.shuffle(columns)
    header = [
        rng.choice(["Nom et prénom", "Nom & Prénom(s)", "Name", "NOMS ET PRENOMS"])
        if column == "name"
        else rng.choice(OPTIONAL[column][0])
        if column in OPTIONAL
        else column
        for column in columns
    ]
    rows: list[list] = [[rng.choice(["FEUILLE DE PRÉSENCE", "Liste des participants"])]]
    rows += [[]] * rng.randint(0, 2)
    people = nameless = 0
    serial = 0
    for table in range(rng.randint(1, 2)):
        if table:
            rows += [[]] * rng.randint(0, 2)
            rows.append([rng.choice(["Facilitateurs", "Intervenants", "Invités officiels"])])
        rows.append(header)
        for _n in range(rng.randint(1, 12)):
            if rng.random() < 0.1:
                rows.append([])
                continue
            serial += 1
            named = rng.random() > 0.1
            row = []
            for column in columns:
                if column == "name":
                    row.append(f"{rng.choice(FIRST)} {rng.choice(LAST)} {serial}" if named else "")
                elif column == "sex":
                    row.append(rng.choice(["F", "M"]))
                elif column in OPTIONAL:
                    value = rng.choice(OPTIONAL[column][1])
                    row.append(value.format(n=serial % 10) if isinstance(value, str) else value)
                else:
                    row.append(rng.choice(["x", "", "oui"]))
            if not named and "sex" not in columns:
                row[columns.index("name")] = ""
                row.append("sans nom")  # something else on the row, beyond the header
            people += named
            nameless += not named
            rows.append(row)
        if rng.random() < 0.3:
            total = ["" for _ in columns]
            total[columns.index("name")] = "TOTAL"
            rows.append(total)
    if rng.random() < 0.3:
        rows += [[], ["NB : liste saisie à partir des feuilles signées."]]
    if rng.random() < 0.5:
        return xlsx(("Feuil1", rows)), "random.xlsx", people, nameless
    encoding = rng.choice(["utf-8", "cp1252", "utf-16"])
    return text(rows, encoding=encoding), "random.csv", people, nameless


@pytest.mark.parametrize("seed", range(60))
def test_every_row_of_a_random_sheet_is_a_person_or_skipped_with_its_reason(seed, workshop):
    data, name, people, nameless = random_sheet(seed)
    plan = importing.plan_import(importing.read_sheet(data, name, workshop), workshop)

    assert_everything_is_accounted_for(plan, importing.read_tabs(data, name))
    assert (plan.people_rows, plan.refused) == (people, nameless)
    assert plan.totals.people == people
