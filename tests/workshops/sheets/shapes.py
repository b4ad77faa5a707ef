"""Sign-in sheets typed as secretariats type them, each with its truth counted by hand.

The workshop of every shape runs on two days, 12 and 13 May 2023; youth is 35 or
younger on 12 May 2023. A truth is (people, women / men / unknown, young / older /
unknown, present on day 1 / day 2, organisations, people per role). The .xls and
.ods files beside this module are LibreOffice saves of `tabs_per_day_merged()`
(see `make_fixtures.py`), so that no test needs LibreOffice.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
DAY1, DAY2 = datetime.date(2023, 5, 12), datetime.date(2023, 5, 13)


@dataclass
class Truth:
    people: int
    sex: tuple[int, int, int]  # women, men, unknown
    age: tuple[int, int, int]  # young, older, unknown
    days: tuple[int, int]
    organisations: int
    roles: dict[str, int]
    # Person -> organisation name, for the people a wrong reading would lose it for.
    organisation_of: dict[str, str] = field(default_factory=dict)


@dataclass
class Shape:
    name: str
    data: bytes
    filename: str
    truth: Truth
    default_day: datetime.date | None = None


def xlsx(*tabs: tuple[str, list[list]], merged: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(title, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text(rows: list[list], *, delimiter=";", encoding="utf-8") -> bytes:
    lines = [delimiter.join("" if c is None else str(c) for c in row) for row in rows]
    return "\r\n".join(lines).encode(encoding)


def standard_french() -> Shape:
    rows = [
        ["FEUILLE DE PRÉSENCE"],
        ["Atelier régional sur la gouvernance du secteur de la sécurité, Ségou"],
        [],
        ["N°", "Nom et prénom", "Sexe", "Âge", "Structure", "Fonction", "Téléphone",
         "Jour 1", "Jour 2"],
        [1, "Aminata Traoré", "F", 29, "AJCS", "Présidente", "76 12 34 01", "x", "x"],
        [2, "Moussa Keïta", "M", 44, "UNTM", "SG", "", "x", ""],
        [3, "Kadiatou Sangaré", "F", "", "AJCS", "", "", "x", "x"],
        [4, "Seydou Koné", "", 35, "", "", "", "", "x"],
        [5, None, None, None, None, None, None, None, None],
    ]  # fmt: skip
    # F: Aminata, Kadiatou; M: Moussa; U: Seydou. Young: Aminata, Seydou (35); older: Moussa.
    return Shape(
        "standard French workbook",
        xlsx(("Feuil1", rows)),
        "feuille.xlsx",
        Truth(4, (2, 1, 1), (2, 1, 1), (3, 3), 2, {"participant": 4}),
    )


def phone_csv_with_a_second_table() -> Shape:
    rows = [
        ["Liste de présence atelier Mopti"],
        ["Nom et prénom", "Sexe", "Structure", "Contact", "Jour 1", "Jour 2"],
        ["Awa Cissé", "F", "REFSH", "76000011", "x", "x"],
        ["Bakary Dembélé", "M", "REFSH", "", "x", "x"],
        ["Mariam Touré", "F", "AJCS", "", "x", ""],
        [],
        ["Facilitateurs et intervenants"],
        ["Nom et prénom", "Sexe", "Structure", "Contact", "Jour 1", "Jour 2"],
        ["Ibrahim Maïga", "M", "FES", "", "x", "x"],
        ["Rokia Doumbia", "F", "DCAF", "", "", "x"],
    ]
    # Three participants, two facilitators (the title names facilitators first).
    return Shape(
        "CSV typed on a phone with a second table below the first",
        text(rows, delimiter=","),
        "mopti.csv",
        Truth(5, (3, 2, 0), (0, 0, 5), (4, 4), 4, {"participant": 3, "facilitator": 2}),
    )


def header_hints() -> Shape:
    rows = [
        ["N°", "Nom & Prénom(s)", "Sexe (H/F)", "Âge/Age", "Tél.", "Structure"],
        [1, "Oumar Diallo", "H", "30", "66 00 11 22", "Mairie de Kayes"],
        [2, "Hawa Sidibé", "F", "52", "", "Mairie de Kayes"],
        [3, "Fanta Camara", "F", "24", "", "Jeunesse Active"],
    ]
    return Shape(
        "headers with hints in brackets and after a slash, French Excel CSV",
        text(rows, encoding="cp1252"),
        "kayes.csv",
        Truth(3, (2, 1, 0), (2, 1, 0), (0, 0), 2, {"participant": 3}),
    )


def open_ended_ranges() -> Shape:
    rows = [
        ["Nom et prénom", "Sexe", "Tranche d'âge", "Jour 1", "Jour 2"],
        ["Sira Keïta", "F", "36 et +", "x", "x"],
        ["Adama Coulibaly", "M", "60 ans et plus", "x", "x"],
        ["Nana Touré", "F", "plus de 35 ans", "x", ""],
        ["Issa Sanogo", "M", "≥ 36", "", "x"],
        ["Assétou Diarra", "F", "moins de 25 ans", "x", "x"],
        ["Lassine Traoré", "M", "18-35", "x", ""],
        ["Djeneba Koné", "F", "30-40", "x", "x"],
    ]
    # Older: Sira, Adama, Nana, Issa; young: Assétou, Lassine; Djeneba spans the limit.
    return Shape(
        "open-ended age ranges in words and signs",
        xlsx(("Présence", rows)),
        "ages.xlsx",
        Truth(7, (4, 3, 0), (2, 4, 1), (6, 5), 0, {"participant": 7}),
    )


def tabs_per_day_rows() -> tuple[list[list], list[list]]:
    header = ["N°", "Nom et prénom", "Structure", "Sexe", "Âge", "Téléphone", "Signature"]
    day1 = [
        ["Atelier de Sikasso - Jour 1"],
        header,
        [1, "Aminata Traoré", "AJCS", "F", 29, 76123401, None],
        [2, "Moussa Keïta", None, "M", 41, 66123402, None],
        [3, "Fatoumata Diarra", "REFSH", "F", "36 et +", None, None],
    ]
    day2 = [
        ["Atelier de Sikasso - Jour 2"],
        header,
        [1, "Aminata Traoré", "AJCS", "F", 29, 76123401, None],
        [2, "Oumar Sidibé", "UNTM", "M", 25, None, None],
        [3, "Hawa Coulibaly", None, "F", None, None, None],
    ]
    return day1, day2


def tabs_per_day_merged() -> bytes:
    day1, day2 = tabs_per_day_rows()
    return xlsx(
        ("Jour 1", day1), ("Jour 2", day2), merged={"Jour 1": ["C3:C4"], "Jour 2": ["C4:C5"]}
    )


TABS_PER_DAY_TRUTH = Truth(
    5,
    (3, 2, 0),
    (2, 2, 1),
    (3, 3),
    3,
    {"participant": 5},
    {"Moussa Keïta": "AJCS", "Hawa Coulibaly": "UNTM"},
)


def tabs_per_day() -> Shape:
    return Shape(
        "one tab per day, organisation merged down, phones typed as numbers",
        tabs_per_day_merged(),
        "sikasso.xlsx",
        TABS_PER_DAY_TRUTH,
    )


def tabs_per_day_xls() -> Shape:
    return Shape(
        "the same saved as legacy .xls",
        (HERE / "sikasso.xls").read_bytes(),
        "sikasso.xls",
        TABS_PER_DAY_TRUTH,
    )


def tabs_per_day_ods() -> Shape:
    return Shape(
        "the same saved by LibreOffice as .ods",
        (HERE / "sikasso.ods").read_bytes(),
        "sikasso.ods",
        TABS_PER_DAY_TRUTH,
    )


def english_headers() -> Shape:
    rows = [
        ["Attendance sheet"],
        ["Name", "Gender", "Age", "Organization", "Phone", "Email", "Day 1", "Day 2"],
        ["John Mensah", "Male", 38, "DCAF", "", "jm@example.org", "yes", "yes"],
        ["Grace Owusu", "Female", 27, "DCAF", "", "", "yes", "no"],
        ["Awa Ba", "F", "", "FES", "", "", "", "yes"],
    ]
    return Shape(
        "English headers and words",
        xlsx(("Sheet1", rows)),
        "attendance.xlsx",
        Truth(3, (2, 1, 0), (1, 1, 1), (2, 2), 2, {"participant": 3}),
    )


def split_names_any_order() -> Shape:
    rows = [
        ["Structure", "Téléphone", "Prénom", "Nom", "Jour 2", "Jour 1", "Sexe"],
        ["AMDH", "", "Mamadou", "COULIBALY", "x", "x", "M"],
        ["AMDH", "", "Salimata", "DOUMBIA", "", "x", "F"],
        ["CNJ", "", "Ousmane", "KANTÉ", "x", "", "M"],
    ]
    return Shape(
        "first name and surname apart, columns in any order",
        text(rows),
        "ordre.csv",
        Truth(3, (1, 2, 0), (0, 0, 3), (2, 2), 2, {"participant": 3}),
    )


def totals_and_notes() -> Shape:
    rows = [
        ["N°", "Nom et prénom", "Sexe", "Structure", "Jour 1", "Jour 2"],
        [1, "Boubacar Sow", "M", "OSC Tombouctou", "x", "x"],
        [2, "Agaïcha Maïga", "F", "OSC Tombouctou", "x", "x"],
        [3, "Alassane Touré", "M", "Mairie", "x", ""],
        [None, "TOTAL", "2 H / 1 F", None, 3, 2],
        [],
        ["NB : les participants venus de Goundam sont arrivés le deuxième jour."],
        ["Fait à Tombouctou, le 13 mai 2023"],
    ]
    return Shape(
        "a totals row and notes below the table",
        xlsx(("Liste", rows)),
        "tombouctou.xlsx",
        Truth(3, (1, 2, 0), (0, 0, 3), (3, 2), 2, {"participant": 3}),
    )


def unicode_text() -> Shape:
    rows = [
        ["Nom et prénom", "Sexe", "Année de naissance", "Structure", "Jour 1", "Jour 2"],
        ["Fatoumata Maïga", "F", "1995", "Réseau Sahélien", "x", "x"],
        ["Youssouf Dicko", "M", "1970", "Réseau Sahélien", "x", ""],
    ]
    return Shape(
        "Excel « Unicode text » (UTF-16 with tabs)",
        text(rows, delimiter="\t", encoding="utf-16"),
        "gao.txt",
        Truth(2, (1, 1, 0), (1, 1, 0), (2, 1), 1, {"participant": 2}),
    )


def dates_as_day_headers() -> Shape:
    rows = [
        ["Nom et prénom", "Sexe", "Année de naissance", "Structure", DAY1, DAY2],
        ["Kadidia Sylla", "F", 1990, "AJCS", "✓", "✓"],
        ["Modibo Sacko", "M", 1980, "", "✓", ""],
        ["Bintou Fofana", "F", 2001, "", "", "✓"],
    ]
    # Born 1990 (33), 1980 (43), 2001 (22).
    return Shape(
        "dates as day headers, ticks, birth years typed as numbers",
        xlsx(("Présence", rows)),
        "dates.xlsx",
        Truth(3, (2, 1, 0), (2, 1, 0), (2, 2), 1, {"participant": 3}),
    )


def typed_by_someone_else() -> Shape:
    rows = [
        ["LISTE DE PRESENCE"],
        ["NOMS ET PRENOMS", "STRUCTURE", "SEXE", "FONCTION", "CONTACTS", "JOUR 1", "JOUR 2"],
        ["TRAORE AMINATA", "ASSOCIATION DES JEUNES (AJCS)", "FEMME", "", "76.12.34.01", "X", "X"],
        ["KONATE IBRAHIM", "ASSOCIATION DES JEUNES (AJCS)", "HOMME", "", "", "X", ""],
        ["DIAKITE OUMOU", "", "FEMME", "", "", "X", "X"],
        # Aminata typed again lower down, in another order: the same person.
        ["Aminata Traoré", "Association des Jeunes (AJCS)", "F", "", "", "", "X"],
    ]
    return Shape(
        "a sheet typed in capitals by someone else, a person twice",
        text(rows),
        "capitales.csv",
        Truth(3, (2, 1, 0), (0, 0, 3), (3, 2), 1, {"participant": 3}),
    )


def workbook_with_other_tabs() -> Shape:
    rows = [
        ["Nom et prénom", "Sexe", "Structure", "Jour 1", "Jour 2"],
        ["Salif Diabaté", "M", "CNSC", "x", "x"],
        ["Nah Dembélé", "F", "CNSC", "x", "x"],
    ]
    budget = [["Ligne", "Montant"], ["Transport", 150000], ["Pause-café", 80000]]
    return Shape(
        "a workbook with a budget tab beside the list",
        xlsx(("Budget", budget), ("Participants", rows), ("Vide", [])),
        "classeur.xlsx",
        Truth(2, (1, 1, 0), (0, 0, 2), (2, 2), 1, {"participant": 2}),
    )


def one_day_chosen_at_upload() -> Shape:
    rows = [
        ["Nom et prénom", "Sexe", "Structure", "Fonction"],
        ["Moctar Ag Ali", "M", "Coordination Kidal", "Président"],
        ["Fadimata Walet", "F", "Coordination Kidal", ""],
    ]
    return Shape(
        "no presence column: the day is chosen at upload",
        text(rows),
        "kidal.csv",
        Truth(2, (1, 1, 0), (0, 0, 2), (0, 2), 1, {"participant": 2}),
        default_day=DAY2,
    )


def role_column() -> Shape:
    rows = [
        ["Nom et prénom", "Rôle", "Sexe", "Structure", "Jour 1", "Jour 2"],
        ["Pierre Dembélé", "Facilitateur", "M", "FES", "x", "x"],
        ["Aïssata Ba", "Presse", "F", "ORTM", "x", ""],
        ["Salia Kané", "Participant", "M", "AJCS", "x", "x"],
        ["Fatou Sow", "Intervenante", "F", "DCAF", "", "x"],
    ]
    return Shape(
        "a role column",
        xlsx(("Feuil1", rows)),
        "roles.xlsx",
        Truth(
            4, (2, 2, 0), (0, 0, 4), (3, 3), 4,
            {"facilitator": 1, "press": 1, "participant": 1, "speaker": 1},
        ),
    )  # fmt: skip


def utf8_commas_and_quotes() -> Shape:
    data = (
        "\ufeffNom et prénom,Sexe,Âge,Structure,Jour 1,Jour 2\r\n"
        '"Diallo, Mariam",F,33,"Réseau Paix, Justice et Sécurité",x,x\r\n'
        '"Kouyaté, Bréhima",M,36,"Réseau Paix, Justice et Sécurité",x,\r\n'
    ).encode()
    return Shape(
        "UTF-8 with its mark, commas, quoted cells with commas",
        data,
        "paix.csv",
        Truth(2, (1, 1, 0), (1, 1, 0), (2, 1), 1, {"participant": 2}),
    )


def guest_table_in_a_tab_of_its_own() -> Shape:
    participants = [
        ["Nom et prénom", "Sexe", "Structure", "Jour 1", "Jour 2"],
        ["Yaya Togo", "M", "OSC Bandiagara", "x", "x"],
        ["Kadia Guindo", "F", "OSC Bandiagara", "x", "x"],
    ]
    guests = [
        ["Invités officiels"],
        ["Nom et prénom", "Sexe", "Structure", "Jour 1", "Jour 2"],
        ["Gouverneur Amadou Maïga", "M", "Gouvernorat", "x", ""],
    ]
    return Shape(
        "official guests in a tab of their own, under a title",
        xlsx(("Participants", participants), ("Invités", guests)),
        "bandiagara.xlsx",
        Truth(3, (1, 2, 0), (0, 0, 3), (3, 2), 2, {"participant": 2, "official-guest": 1}),
    )


SHAPES = [
    standard_french,
    phone_csv_with_a_second_table,
    header_hints,
    open_ended_ranges,
    tabs_per_day,
    tabs_per_day_xls,
    tabs_per_day_ods,
    english_headers,
    split_names_any_order,
    totals_and_notes,
    unicode_text,
    dates_as_day_headers,
    typed_by_someone_else,
    workbook_with_other_tabs,
    one_day_chosen_at_upload,
    role_column,
    utf8_commas_and_quotes,
    guest_table_in_a_tab_of_its_own,
]
