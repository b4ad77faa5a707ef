"""The table of what people type in a sign-in sheet, and what it is read as.

What the table does not know stays unknown: never guessed."""

from __future__ import annotations

import datetime

import pytest

from workshops import normalise
from workshops.importing.headers import field_of_header, role_of_title

EVENT = datetime.date(2022, 1, 26)


@pytest.mark.parametrize(
    ("typed", "sex"),
    [
        *[(text, "F") for text in ["F", "f", "Fém.", "fem", "Femme", "FEMME", "féminin", "W"]],
        *[(text, "F") for text in ["woman", "f.", "Féminin."]],
        *[(text, "M") for text in ["H", "Homme", "M", "m.", "Masc.", "MASC", "masculin", "man"]],
        *[(text, "U") for text in ["", None, "?", "NC", "nsp"]],
    ],
)
def test_sex_as_typed(typed, sex):
    assert normalise.clean_sex(typed) == sex


@pytest.mark.parametrize("typed", ["X", "Femmes et hommes", "2"])
def test_a_sex_the_table_does_not_know_is_flagged_with_its_raw_text(typed):
    with pytest.raises(normalise.Unreadable, match=f"«\u00a0{typed}\u00a0»"):
        normalise.clean_sex(typed)


@pytest.mark.parametrize(
    ("age", "birth", "year", "group"),
    [
        (None, datetime.datetime(1990, 5, 1), 1990, ""),
        (None, datetime.date(1990, 5, 1), 1990, ""),
        (None, "01/05/1990", 1990, ""),
        (None, "1990-05-01", 1990, ""),
        (None, "1990-05-01 00:00:00", 1990, ""),
        (None, "mai 1990", 1990, ""),
        (None, "May 1990", 1990, ""),
        (None, "1990", 1990, ""),
        (None, 1990, 1990, ""),
        (31, None, 1991, ""),
        ("31", None, 1991, ""),
        ("31 ans", None, 1991, ""),
        (31.0, None, 1991, ""),
        ("1990", None, 1990, ""),
        ("1990-05-01 00:00:00", None, 1990, ""),
        ("40+", None, None, "older"),
        ("plus de 35 ans", None, None, "older"),
        ("18-35", None, None, "youth"),
        ("18 à 35 ans", None, None, "youth"),
        ("moins de 35 ans", None, None, "youth"),
        ("36 et +", None, None, "older"),
        ("36 ans et +", None, None, "older"),
        ("60 ans et plus", None, None, "older"),
        ("≥ 36", None, None, "older"),
        (">= 36", None, None, "older"),
        ("+ de 35 ans", None, None, "older"),
        ("moins de 25 ans", None, None, "youth"),
        ("≤ 35", None, None, "youth"),
        ("35 et +", None, None, ""),  # as « 35+ »: spans the limit
        ("35+", None, None, ""),  # 35 is young, 36 is not: the range spans the limit
        ("30-40", None, None, ""),
        ("?", None, None, ""),
        ("NC", None, None, ""),
        ("", "", None, ""),
        ("vieux", None, None, ""),
        (None, "32/13/1990", None, ""),
    ],
)
def test_age_and_birth_as_typed(age, birth, year, group):
    reading = normalise.read_age(age=age, birth=birth, on=EVENT, max_age=35)
    assert (reading.birth_year, reading.age_group) == (year, group)


def test_a_range_is_flagged_with_the_group_it_gives():
    reading = normalise.read_age(age="40+", on=EVENT, max_age=35)
    assert reading.notes == ["Âge «\u00a040+\u00a0»\u00a0: tranche d’âge plus de 35 ans."]


@pytest.mark.parametrize(
    ("typed", "present"),
    [
        *[(text, True) for text in ["x", "X", "oui", "1", 1, "✓", "P", "présent", "présente"]],
        *[(text, True) for text in ["présent(e)", True]],
        *[(text, False) for text in ["", None, "0", 0, "non", "absent", "-"]],
    ],
)
def test_presence_as_typed(typed, present):
    assert normalise.is_present(typed) is present


def test_a_presence_the_table_does_not_know_is_flagged_not_counted():
    with pytest.raises(normalise.Unreadable):
        normalise.is_present("signé")


@pytest.mark.parametrize(
    ("typed", "email"),
    [("Awa@Example.org", "awa@example.org"), ("", ""), ("NC", "")],
)
def test_email_as_typed(typed, email):
    assert normalise.clean_email(typed) == email


def test_an_email_without_its_domain_is_flagged_not_recorded():
    with pytest.raises(normalise.Unreadable, match=r"ibrahim\.c@example"):
        normalise.clean_email("ibrahim.c@example")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Sexe (H/F)", "sex"),
        ("Sexe (M/F)", "sex"),
        ("Âge/Age", "age"),
        ("Age (ans)", "age"),
        ("Tél.", "phone"),
        ("N° de téléphone", "phone"),
        ("Nom & Prénom(s)", "full_name"),
        ("NOMS ET PRENOMS", "full_name"),
        ("Structure/OSC", "organisation"),
        ("Organization", "organisation"),
        ("Gender", "sex"),
        ("E-mail", "email"),
        ("Rôle", "role"),
        ("Signature", None),
    ],
)
def test_a_header_is_read_with_its_hints(header, field):
    assert field_of_header(header) == field


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Facilitateurs et intervenants", "facilitator"),
        ("Liste des intervenants", "speaker"),
        ("Invités officiels", "official-guest"),
        ("PRESSE", "press"),
        ("Liste des participants", "participant"),
        ("FEUILLE DE PRÉSENCE", ""),
        ("Atelier de formation des journalistes", ""),
        ("Forum national des organisations de la société civile sur la RSS", ""),
    ],
)
def test_a_title_names_a_role_only_when_it_is_about_the_table(title, role):
    assert role_of_title(title) == role
