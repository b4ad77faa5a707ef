"""Typed sign-in sheets: read as a secretariat types them, mistakes included."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from members.models import Organisation
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops import importing
from workshops.models import Attendance, Person, Presence
from workshops.services.imports import confirm_import, start_import

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)
HEADER = ["N°", "Nom et prénom", "Sexe", "Âge", "Structure", "Fonction", "Téléphone", "E-mail",
          "Jour 1", "Jour 2"]  # fmt: skip


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter=";", encoding="utf-8") -> bytes:
    text = "\r\n".join(delimiter.join("" if c is None else str(c) for c in r) for r in rows)
    return text.encode(encoding)


@pytest.fixture
def workshop():
    return make_workshop(start_date=DAY1, end_date=DAY2)


def preview(data: bytes, name: str, workshop, **options):
    return importing.plan_import(importing.read_sheet(data, name, workshop), workshop, **options)


def confirm(data: bytes, name: str, workshop, by, *, default_day=None, **options):
    """Upload then confirm, as the pages do; the import's counts."""
    attendance_import = start_import(
        workshop, by=by, upload=ContentFile(data, name=name), day=default_day
    )
    return confirm_import(attendance_import, by=by, **options).report["counts"]


def test_header_below_title_rows_is_found_and_preview_writes_nothing(workshop, secretariat):
    data = xlsx(
        [
            ["FEUILLE DE PRÉSENCE"],
            ["Atelier national, Bamako"],
            [],
            HEADER,
            [1, "TRAORÉ Aminata", "F", 29, "AMPSC", "Présidente", "76 12 34 56", "", "x", "x"],
            [2, "Moussa Keïta", "H", "", "Réseau Démo", "Membre", "", "mk@example.org", "x", ""],
        ]
    )
    plan = preview(data, "sheet.xlsx", workshop)

    assert [row.verdict for row in plan.data_rows] == ["new", "new"]
    assert plan.data_rows[0].phone == "+22376123456"
    assert plan.data_rows[0].birth_year == 1993
    assert plan.data_rows[0].days == [DAY1, DAY2]
    assert plan.data_rows[1].sex == "M"
    assert plan.data_rows[1].days == [DAY1]
    assert [new.name for new in plan.new_organisations] == ["AMPSC", "Réseau Démo"]
    assert Person.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_confirm_writes_people_organisations_and_presence_and_a_second_import_adds_nobody(
    workshop, secretariat
):
    make_organisation("Association Malienne pour la Paix", "AMP")
    data = xlsx(
        [
            HEADER,
            [1, "Aminata Traoré", "F", 29, "amp", "Présidente", "76123456", "", "x", "x"],
            [2, "Oumar Diallo", "M", None, "Nouvelle Structure", "", "66 00 11 22", "", "x", ""],
        ]
    )
    first = confirm(data, "sheet.xlsx", workshop, secretariat)
    second = confirm(data, "sheet.xlsx", workshop, secretariat)

    assert (first["people_added"], first["organisations_created"], first["presences_added"]) == (
        2,
        1,
        3,
    )
    assert (second["people_added"], second["people_found"], second["presences_added"]) == (0, 2, 0)
    assert Person.objects.count() == 2
    assert Attendance.objects.count() == 2
    assert Presence.objects.count() == 3
    assert Organisation.objects.count() == 2
    assert Person.objects.get(full_name="Aminata Traoré").organisation.acronym == "AMP"


def test_a_known_person_is_taken_only_when_name_and_a_contact_agree_else_proposed(workshop):
    amp = make_organisation("Association Malienne pour la Paix", "AMP")
    by_email = make_person("Fatoumata Coulibaly", email="fc@example.org")
    by_phone = make_person("Ibrahim Maïga", phone="+22370000001")
    by_name = make_person("Kadiatou Sangaré", organisation=amp)
    other = make_person("Oumar Sidibé", phone="+22370000002")
    data = csv_bytes(
        [
            ["Nom et prénom", "Structure", "Téléphone", "Email"],
            ["Fatoumata Coulibaly", "", "", "FC@Example.org"],
            ["Ibrahim Maiga", "", "+223 70 00 00 01", ""],
            ["SANGARE Kadiatou", "A.M.P.", "", ""],
            ["Kadiatou Sangaré", "Autre structure", "", ""],
            ["Moussa Traoré", "", "70 00 00 02", ""],
        ]
    )
    plan = preview(data, "sheet.csv", workshop)

    assert [(row.verdict, row.person, row.proposal, row.proposed_by) for row in plan.data_rows] == [
        ("matched", by_email, None, ""),
        ("matched", by_phone, None, ""),
        # A name alone, or someone else's phone: proposed, kept apart until accepted.
        ("new", None, by_name, "name"),
        ("new", None, by_name, "name"),
        ("new", None, other, "phone"),
    ]
    assert plan.totals.people == 5

    line = plan.data_rows[2].line
    accepted = importing.plan_import(
        importing.read_sheet(data, "sheet.csv", workshop, importing.Mapping(same={line})),
        workshop,
    )
    assert (accepted.data_rows[2].verdict, accepted.data_rows[2].person) == ("matched", by_name)
    # The same name with another organisation is still only a proposal.
    assert (accepted.data_rows[3].verdict, accepted.data_rows[3].proposal) == ("new", by_name)
    assert accepted.totals.people == 5


def test_duplicates_inside_the_file_are_merged_with_their_days(workshop, secretariat):
    data = csv_bytes(
        [
            ["Nom et prénom", "Téléphone", "J1", "J2"],
            ["Awa Diarra", "76 11 22 33", "x", ""],
            ["DIARRA Awa", "", "", "oui"],
            ["Awa Diarra", "0022376112233", "", "x"],
        ]
    )
    plan = preview(data, "sheet.csv", workshop)
    assert [row.verdict for row in plan.data_rows] == ["new", "duplicate", "duplicate"]
    assert plan.data_rows[1].same_as_line == 2
    assert plan.data_rows[0].days == [DAY1, DAY2]

    confirm(data, "sheet.csv", workshop, secretariat)
    assert Person.objects.count() == 1
    assert Presence.objects.count() == 2


def test_only_a_row_without_a_name_is_refused_other_bad_values_are_flagged(workshop, secretariat):
    data = csv_bytes(
        [
            ["N°", "Nom et prénom", "Sexe", "Téléphone", "E-mail", "Âge"],
            ["1", "", "F", "76 12 34 56", "", ""],
            ["2", "Seydou Koné", "X", "", "", ""],
            ["3", "Mamadou Cissé", "M", "12", "ibrahim.c@example", "vieux"],
            ["4", "", "", "", "", ""],
            ["", "", "", "", "", ""],
            ["5", "Hawa Sidibé", "", "", "", "40+"],
        ]
    )
    plan = preview(data, "sheet.csv", workshop)

    assert [row.verdict for row in plan.data_rows] == ["refused", "new", "new", "new"]
    assert plan.empty_rows == 2  # a number alone, and a blank row
    assert plan.data_rows[0].refusal == "Pas de nom."
    assert plan.data_rows[1].sex == "U"
    assert plan.data_rows[1].notes == ["Sexe «\u00a0X\u00a0» non compris\u00a0: inconnu."]
    assert (plan.data_rows[2].phone, plan.data_rows[2].email, plan.data_rows[2].birth_year) == (
        "",
        "",
        None,
    )
    assert (
        "E-mail «\u00a0ibrahim.c@example\u00a0» invalide\u00a0: non enregistré."
        in plan.data_rows[2].notes
    )
    assert len(plan.data_rows[2].notes) == 3
    assert plan.data_rows[3].age_group == "older"
    assert plan.data_rows[3].notes == ["Âge «\u00a040+\u00a0»\u00a0: tranche d’âge plus de 35 ans."]
    counts = confirm(data, "sheet.csv", workshop, secretariat)
    assert (counts["people_added"], counts["rows_refused"], counts["values_flagged"]) == (3, 1, 5)
    assert Person.objects.get(full_name="Hawa Sidibé").age_group == "older"


def test_windows_1252_csv_with_commas_and_accents(workshop):
    data = csv_bytes(
        [
            ["Nom", "Prénom", "Sexe", "Structure"],
            ["Keïta", "Modibo", "Masculin", "Réseau Sahélien"],
        ],
        delimiter=",",
        encoding="cp1252",
    )
    plan = preview(data, "liste.csv", workshop)
    assert plan.data_rows[0].full_name == "Modibo Keïta"
    assert plan.data_rows[0].organisation_name == "Réseau Sahélien"
    assert plan.data_rows[0].sex == "M"


def test_excel_dates_as_presence_headers_and_birth_dates(workshop):
    data = xlsx(
        [
            [
                "Nom et prénom",
                "Date de naissance",
                "Téléphone",
                DAY1,
                datetime.datetime(2022, 1, 27),
            ],
            ["Rokia Doumbia", datetime.datetime(1990, 5, 4), 76123400, "P", None],
        ]
    )
    plan = preview(data, "sheet.xlsx", workshop)
    assert plan.day_columns == [DAY1, DAY2]
    assert plan.data_rows[0].days == [DAY1]
    assert plan.data_rows[0].birth_year == 1990
    assert plan.data_rows[0].phone == "+22376123400"


def test_a_sheet_without_presence_columns_records_the_chosen_day(workshop, secretariat):
    data = csv_bytes([["Nom et prénom", "Structure"], ["Issa Ballo", ""]])
    confirm(data, "sheet.csv", workshop, secretariat, default_day=DAY2)
    assert list(Presence.objects.values_list("day", flat=True)) == [DAY2]


def test_someone_already_registered_gains_only_the_new_day(workshop, secretariat):
    person = make_person("Drissa Togola", phone="+22365000000")
    make_attendance(workshop, person, DAY1)
    data = csv_bytes(
        [["Nom et prénom", "Tel", "Jour 1", "Jour 2"], ["Drissa Togola", "65000000", "x", "x"]]
    )
    plan = preview(data, "sheet.csv", workshop)
    assert plan.data_rows[0].already_registered
    counts = confirm(data, "sheet.csv", workshop, secretariat)
    assert (counts["attendances_added"], counts["presences_added"]) == (0, 1)


def test_a_file_without_a_header_is_refused(workshop):
    with pytest.raises(importing.SheetError):
        preview(csv_bytes([["a", "b"], ["c", "d"]]), "sheet.csv", workshop)
    with pytest.raises(importing.SheetError):
        preview(b"PK\x03\x04 not really a workbook", "sheet.xlsx", workshop)


def test_a_name_or_organisation_too_long_for_the_register_is_cut_and_flagged(workshop, secretariat):
    data = csv_bytes(
        [
            ["Nom et prénom", "Structure"],
            ["A" * 419, "Réseau"],
            ["Awa Diarra", "R" * 250],
        ]
    )
    plan = preview(data, "sheet.csv", workshop)
    assert [row.verdict for row in plan.data_rows] == ["new", "new"]
    assert all(row.notes for row in plan.data_rows)
    counts = confirm(data, "sheet.csv", workshop, secretariat)
    assert counts["people_added"] == 2
    assert len(Person.objects.get(full_name__startswith="AAA").full_name) == 200


def test_excel_unicode_text_utf16_with_tabs(workshop):
    data = "\r\n".join(["Nom et prénom\tSexe\tJour 1", "Fatoumata Maïga\tF\tx"]).encode("utf-16")
    plan = preview(data, "feuille.csv", workshop)
    assert [(row.full_name, row.sex, row.days) for row in plan.data_rows] == [
        ("Fatoumata Maïga", "F", [DAY1])
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_byte_order_mark(workshop, encoding):
    data = "Nom et prénom;Sexe\r\nFatoumata Maïga;F".encode(encoding)
    plan = preview(data, "feuille.csv", workshop)
    assert [(row.full_name, row.sex) for row in plan.data_rows] == [("Fatoumata Maïga", "F")]
