"""A realistic typed sheet of a two-day workshop of twelve people, counted by hand,
and files that are not sheets at all."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from audit.models import AuditEntry
from members.models import Organisation
from reports.queries import build_figures
from tests.queries import on_each_cache
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from tests.workshops.test_attendance_import import csv_bytes, xlsx
from workshops import importing
from workshops.models import Attendance, Person, Presence, Workshop
from workshops.services.imports import confirm_import, start_import
from workshops.services.people import merge_people

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)
HEADER = ["Nom et prénom", "Structure", "Sexe", "Âge", "Fonction", "Téléphone", "E-mail",
          "Jour 1", "Jour 2"]  # fmt: skip
# Counted by hand (youth: 35 or younger on 26 January 2022):
# women 1 3 5 7 9 11, men 2 4 6 8 10, unknown 12 -> 6 / 5 / 1;
# young 1 2 4 5 7 9 12, older 3 6 10 11, unknown 8 -> 7 / 4 / 1.
ROWS = [
    ["Aminata Traoré", "AMDH", "Fém.", 29, "Présidente", "76 12 34 01", "", "x", "x"],
    ["Moussa Keïta", "UNTM", "Masc", "1990-05-01 00:00:00", "SG", "76123402", "", "X", "oui"],
    ["Fatoumata Diarra", "Union Nationale des Travailleurs du Mali (UNTM)", "F", "40+", "", "",
     "", "1", "✓"],
    ["Ibrahim Cissé", "Réseau Jeunes", "M", "31 ans", "", "", "ibrahim.c@example", "P", ""],
    ["Kadiatou Sangaré", "REFSH", "Femme", "18-35", "", "", "", "présent(e)", "x"],
    ["Oumar Diallo", "REFSH", "H", "1960", "", "", "", "x", "x"],
    ["Awa Coulibaly", "", "féminin", "moins de 35 ans", "", "", "", "x", ""],
    ["Seydou Koné", "Réseau Jeunes", "masculin", "?", "", "", "", "x", "x"],
    ["Mariam Touré", "AMDH", "W", "01/05/1990", "", "", "", "x", "x"],
    ["Bakary Dembélé", "", "Homme", "55", "", "", "", "", "x"],
    ["Rokia Doumbia", "", "Fém.", "plus de 35 ans", "", "", "", "x", "x"],
    ["Sidy Sow", "", "?", "25", "", "", "", "x", ""],
    # The first person again, typed differently: merged, not counted twice.
    ["TRAORE Aminata", "AMDH", "F", "", "", "0022376123401", "", "", "x"],
    ["", "", "F", "", "", "", "", "x", ""],
]  # fmt: skip


@pytest.fixture
def workshop():
    make_organisation("Union Nationale des Travailleurs du Mali (UNTM)", "")
    make_organisation("Association Malienne des Droits de l'Homme", "")
    return make_workshop(start_date=DAY1, end_date=DAY2, status="held")


def the_xlsx() -> bytes:
    rows = [["FEUILLE DE PRÉSENCE"], ["Atelier national, Bamako, 26-27 janvier 2022"], []]
    rows += [HEADER, *ROWS]
    rows[4 + 1][3] = datetime.datetime(1990, 5, 1)  # an Excel date in the age column
    return xlsx(rows)


def the_csv() -> bytes:
    """As French Excel saves it: Windows-1252, semicolons, a title above the header."""
    rows = [["Feuille de présence - Atelier national"], HEADER, *ROWS]
    return csv_bytes([[c.replace("✓", "x") if isinstance(c, str) else c for c in r] for r in rows],
                     encoding="cp1252")  # fmt: skip


def confirm(workshop, data: bytes, name: str, by, **options):
    attendance_import = start_import(workshop, by=by, upload=ContentFile(data, name=name), day=None)
    return confirm_import(attendance_import, by=by, **options)


def figures_of(workshop):
    figures = build_figures(Workshop.objects.filter(pk=workshop.pk))
    by_sex = {line.key: line.count for line in figures.by_sex}
    by_age = {line.key: line.count for line in figures.by_age}
    return figures.participants, by_sex, by_age, [(d.day, d.count) for d in figures.per_day]


TRUTH = (
    12,
    {"F": 6, "M": 5, "U": 1},
    {"youth": 7, "older": 4, "unknown": 1},
    [(DAY1, 11), (DAY2, 9)],
)


@pytest.mark.parametrize(("maker", "name"), [(the_xlsx, "feuille.xlsx"), (the_csv, "feuille.csv")])
def test_the_report_after_import_equals_the_hand_count(workshop, secretariat, maker, name):
    data = maker()
    plan = importing.plan_import(importing.read_sheet(data, name, workshop), workshop)
    totals = plan.totals
    assert (totals.people, totals.women, totals.men, totals.unknown_sex) == (12, 6, 5, 1)
    assert (totals.youth, totals.older, totals.unknown_age) == (7, 4, 1)

    done = confirm(workshop, data, name, secretariat)

    assert figures_of(workshop) == TRUTH
    counts = done.report["counts"]
    assert (counts["people_added"], counts["rows_merged"], counts["rows_refused"]) == (12, 1, 1)
    # UNTM and AMDH are found in the register; the two others are created, kind unknown.
    untm = Organisation.objects.get(name__startswith="Union Nationale")
    assert Person.objects.get(full_name="Moussa Keïta").organisation == untm
    assert Person.objects.get(full_name="Fatoumata Diarra").organisation == untm
    assert Person.objects.get(full_name="Aminata Traoré").organisation.name.startswith("Asso")
    created = Organisation.objects.filter(name__in=["REFSH", "Réseau Jeunes"])
    assert sorted(created.values_list("kind", "acronym")) == [
        ("unknown", ""),
        ("unknown", "REFSH"),
    ]
    ibrahim = Person.objects.get(full_name="Ibrahim Cissé")
    assert ibrahim.email == ""
    flagged = next(row for row in done.report["rows"] if row["name"] == "Ibrahim Cissé")
    assert (
        "E-mail «\u00a0ibrahim.c@example\u00a0» invalide\u00a0: non enregistré." in flagged["notes"]
    )

    again = confirm(workshop, data, name, secretariat)

    assert figures_of(workshop) == TRUTH
    assert again.report["counts"]["people_added"] == 0
    assert again.report["counts"]["changes_offered"] == 0
    assert again.report["counts"]["presences_added"] == 0
    assert (Person.objects.count(), Attendance.objects.count()) == (12, 12)


def test_a_known_person_changes_only_where_the_secretariat_ticks(workshop, secretariat):
    seydou = make_person("Seydou Koné", phone="+22370000009")
    data = csv_bytes(
        [["Nom et prénom", "Sexe", "Âge", "Téléphone"], ["Seydou Koné", "M", "30", "70000009"]]
    )
    plan = importing.plan_import(importing.read_sheet(data, "s.csv", workshop), workshop)
    changes = {c.field: (c.old, c.new) for c in plan.data_rows[0].changes}
    assert changes == {"sex": ("Inconnu", "Homme"), "birth_year": ("—", "1992")}

    confirm(workshop, data, "s.csv", secretariat)
    seydou.refresh_from_db()
    assert (seydou.sex, seydou.birth_year) == ("U", None)

    confirm(workshop, data, "s.csv", secretariat, accepted={(2, "sex", "M")})
    seydou.refresh_from_db()
    assert (seydou.sex, seydou.birth_year) == ("M", None)
    entry = AuditEntry.objects.filter(action="person.updated").get()
    assert entry.data == {"fields": ["sex"]}


def test_an_organisation_can_be_chosen_instead_of_created(workshop, secretariat):
    register = make_organisation("Réseau des Femmes pour la Sécurité Humaine", "RFSH")
    data = csv_bytes([["Nom et prénom", "Structure"], ["Awa Cissé", "Réseau Femmes Sécurité"]])
    choice = importing.OrganisationChoice(existing=register)
    confirm(workshop, data, "s.csv", secretariat, organisations={"reseaufemmessecurite": choice})
    assert Person.objects.get().organisation == register
    assert not Organisation.objects.filter(name="Réseau Femmes Sécurité").exists()


def test_merging_two_records_of_one_person_counts_them_once(workshop, secretariat):
    other_workshop = make_workshop("Forum", start_date=DAY2, end_date=DAY2, status="held")
    awa = make_person("Awa Cissé", sex="F")
    twin = make_person("CISSE Awa", birth_year=1990, phone="+22370000010")
    make_attendance(workshop, awa, DAY1)
    make_attendance(workshop, twin, DAY1, DAY2)
    make_attendance(other_workshop, twin, DAY2)
    both = Workshop.objects.filter(pk__in=[workshop.pk, other_workshop.pk])
    before = build_figures(both)
    assert before.participants == 2

    merge_people(awa, twin, by=secretariat)

    after = build_figures(both)
    assert after.participants == 1
    assert {line.key: line.count for line in after.by_sex}["F"] == 1
    assert {line.key: line.count for line in after.by_age}["youth"] == 1
    assert after.person_days == 3
    assert set(Presence.objects.values_list("attendance__person", "day")) == {
        (awa.pk, DAY1),
        (awa.pk, DAY2),
    }
    awa.refresh_from_db()
    assert (awa.birth_year, awa.phone) == (1990, "+22370000010")
    assert AuditEntry.objects.filter(action="person.merged").count() == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x81\x82 garbage \x81;\x90\n\x81", "bytes.csv"),
        ("Nom et prénom;Sexe\r\nAwa\rCissé;F\r\n".encode("cp1252") + b"\x81", "cr.csv"),
        (b"%PDF-1.4 not a sheet", "statuts.pdf"),
        (b"\xd0\xcf\x11\xe0 old excel", "old.xls"),
        (b"PK\x03\x04 broken zip", "broken.xlsx"),
        (b"", "empty.csv"),
        (b"a,b\n" + b'"' * 5000, "quote.csv"),
        (b"\x00\x01\x02" * 100, "binary.csv"),
        (b"\xff\xfe\x00\xd8", "bad-utf16.csv"),
    ],
)
def test_any_bytes_give_a_sentence_never_a_crash(workshop, data, name):
    try:
        sheet = importing.read_sheet(data, name, workshop)
    except importing.SheetError as error:
        reason = str(error)
    else:
        # Read after all: then as the person meant it, the carriage return a space.
        reason = importing.plan_import(sheet, workshop).data_rows[0].full_name
        assert reason == "Awa Cissé"
    assert reason


def test_formulas_merged_cells_and_columns_in_any_order(workshop):
    book = Workbook()
    sheet = book.active
    sheet.append(["Liste de présence"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Jour 1", "Structure", "Prénom", "Nom"])
    sheet.append(["x", "AMDH", "Awa", "Cissé"])
    sheet.append(["=1+0", None, "Hawa", "Sidibé"])
    sheet.merge_cells("B3:B4")
    buffer = io.BytesIO()
    book.save(buffer)
    plan = importing.plan_import(importing.read_sheet(buffer.getvalue(), "f.xlsx", workshop),
                                 workshop)  # fmt: skip
    assert [row.full_name for row in plan.data_rows] == ["Awa Cissé", "Hawa Sidibé"]
    assert [row.organisation.name[:5] for row in plan.data_rows] == ["Assoc", "Assoc"]


def test_ten_thousand_rows_are_read_and_more_are_refused_with_a_reason(workshop):
    rows = [["Nom et prénom", "Sexe"], *[[f"Personne {n}", "F"] for n in range(10_000)]]
    plan = importing.plan_import(importing.read_sheet(csv_bytes(rows), "big.csv", workshop),
                                 workshop)  # fmt: skip
    assert plan.totals.women == 10_000
    rows.append(["Une de trop", "M"])
    with pytest.raises(importing.SheetError, match=r"10\D?000"):
        importing.read_sheet(csv_bytes(rows), "big.csv", workshop)


def test_ten_thousand_rows_are_written_in_a_few_queries(
    workshop, secretariat, django_assert_max_num_queries
):
    rows = [
        ["Nom et prénom", "Sexe", "Jour 1"],
        *[[f"Personne {n}", "F", "x"] for n in range(10_000)],
    ]
    # Written a thousand rows a statement; on the database cache, the three data
    # versions the import announces are five queries each.
    with django_assert_max_num_queries(on_each_cache(redis=60, database=60 + 3 * 5)):
        done = confirm(workshop, csv_bytes(rows), "big.csv", secretariat)
    assert done.report["counts"]["people_added"] == 10_000
    assert Presence.objects.count() == 10_000
