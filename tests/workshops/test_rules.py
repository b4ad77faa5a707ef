"""Each classification a figure uses is written once (``workshops.rules``), and
every place that shows it agrees: the rule for one person in hand, the same rule
computed by the database, the door page, the report's figures and its export."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import translation

from checkin.queries import day_counts
from members.models import MembershipStatus, OrganisationKind
from tests.reports.test_exports import read_csv
from tests.workshops.factories import make_attendance, make_organisation, make_person, make_workshop
from workshops import normalise
from workshops.models import AgeGroup, Attendance, Person
from workshops.rules import (
    CATEGORIES,
    age_group,
    age_group_expression,
    age_group_labels,
    category,
    category_expression,
)
from workshops.services.privacy import erase_person

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2022, 1, 26)
YOUTH, OLDER, UNKNOWN = AgeGroup.YOUTH.value, AgeGroup.OLDER.value, AgeGroup.UNKNOWN.value

# What a sign-in sheet said of each person, read as an import reads it, and the
# group every figure must give them at a workshop starting on FIRST_DAY (youth:
# 35 or younger in the year of the event).
TYPED = [
    ("Birth date", {"birth": "14/02/1990"}, YOUTH),
    ("Year of birth", {"birth": "1986"}, OLDER),
    ("Age at the event, on the limit", {"age": "35"}, YOUTH),
    ("Age at the event, past the limit", {"age": "36"}, OLDER),
    ("Age group over the limit", {"age": "40+"}, OLDER),
    ("Age group under the limit", {"age": "moins de 25 ans"}, YOUTH),
    ("Nothing known", {}, UNKNOWN),
]
# Erased after the workshop: the year of birth goes, the group stays on the attendance.
ERASED = [("Erased, young", 1995, YOUTH), ("Erased, older", 1960, OLDER)]


@pytest.fixture
def workshop(settings):
    settings.ACRSS_YOUTH_MAX_AGE = 35
    workshop = make_workshop("Atelier de Kayes", start_date=FIRST_DAY, city="Kayes", status="held")
    for name, cells, _group in TYPED:
        reading = normalise.read_age(**cells, on=FIRST_DAY)
        person = make_person(name, birth_year=reading.birth_year, age_group=reading.age_group)
        make_attendance(workshop, person, FIRST_DAY)
    for name, birth_year, _group in ERASED:
        make_attendance(workshop, make_person(name, birth_year=birth_year), FIRST_DAY)
    for person in Person.objects.filter(full_name__startswith="Erased"):
        erase_person(person, by=None)
    return workshop


def expected() -> dict[str, str]:
    """Each attendance's expected group, by its id (names are erased for some)."""
    groups = [group for _n, _c, group in TYPED] + [group for _n, _y, group in ERASED]
    return dict(zip(attendances_in_order(), groups, strict=True))


def attendances_in_order() -> list[int]:
    return list(Attendance.objects.order_by("pk").values_list("pk", flat=True))


def test_the_people_are_known_as_the_sheet_said(workshop):
    erased = Attendance.objects.filter(person__erased_at__isnull=False)

    assert Person.objects.filter(birth_year=1990).exists()
    assert Person.objects.filter(birth_year=FIRST_DAY.year - 35).exists()
    assert Person.objects.filter(birth_year__isnull=True, age_group=OLDER).exists()
    assert not erased.filter(person__birth_year__isnull=False).exists()
    assert sorted(erased.values_list("age_group_at_event", flat=True)) == [OLDER, YOUTH]


def test_the_python_rule_gives_each_person_the_expected_group(workshop):
    attendances = Attendance.objects.select_related("person", "workshop").order_by("pk")

    groups = {
        a.pk: age_group(
            birth_year=a.person.birth_year,
            event_year=a.workshop.start_date.year,
            typed_group=a.person.age_group,
            kept_group=a.age_group_at_event,
        )
        for a in attendances
    }

    assert groups == expected()


def test_the_database_rule_agrees_with_the_python_rule(workshop):
    rule = age_group_expression(
        birth_year="person__birth_year",
        event_date="workshop__start_date",
        typed_group="person__age_group",
        kept_group="age_group_at_event",
    )

    groups = dict(Attendance.objects.annotate(group=rule).values_list("pk", "group"))

    assert groups == expected()


def test_a_person_alone_is_youth_by_the_same_rule_without_a_kept_group(workshop):
    rule = age_group_expression(
        birth_year="birth_year", event_date="attendances__workshop__start_date",
        typed_group="age_group",
    )  # fmt: skip
    in_database = dict(Person.objects.annotate(group=rule).values_list("pk", "group"))
    youth = {True: YOUTH, False: OLDER, None: UNKNOWN}

    for person in Person.objects.all():
        assert youth[person.is_youth_on(FIRST_DAY)] == in_database[person.pk]


def test_the_door_page_counts_youth_by_the_same_rule(client, secretariat, workshop):
    counts = day_counts(workshop, FIRST_DAY)
    client.force_login(secretariat)
    page = client.get(f"/workshops/{workshop.pk}/check-in/", {"day": FIRST_DAY}).content.decode()

    youth = Counter(expected().values())[YOUTH]
    assert youth == 4
    assert counts["youth"] == youth
    assert f"<strong>{youth}</strong> jeunes" in page


def test_the_report_and_its_list_give_each_person_the_same_group(client, secretariat, workshop):
    client.force_login(secretariat)
    with translation.override("fr"):
        labels = {key: str(label) for key, label in age_group_labels().items()}

    _d, figures = read_csv(client.get(f"/reports/workshops/{workshop.pk}/figures.csv"))
    _d, rows = read_csv(client.get(f"/reports/workshops/{workshop.pk}/list.csv"))

    by_age = {row[1]: int(row[2]) for row in figures if row and row[0] == "Par tranche d'âge"}
    wanted = Counter(expected().values())
    assert by_age == {labels[group]: wanted[group] for group in (YOUTH, OLDER, UNKNOWN)}
    header, body = rows[0], rows[1:]
    column = header.index("Tranche d'âge")
    assert Counter(row[column] for row in body) == {labels[group]: n for group, n in wanted.items()}


def test_the_kind_of_organisation_is_the_same_in_python_in_the_database_and_the_list(
    client, secretariat, workshop
):
    organisations = {
        "acrss-member": make_organisation(
            "Alliance des jeunes", membership_status=MembershipStatus.MEMBER,
            ccsc_purn_member=True,
        ),
        "ccsc-purn-member": make_organisation("Coalition de Kayes", ccsc_purn_member=True),
        "public": make_organisation("Gouvernorat de Kayes", kind=OrganisationKind.PUBLIC),
        "partner": make_organisation("Friedrich-Ebert-Stiftung", kind=OrganisationKind.PARTNER),
        "media": make_organisation("Radio Kayes", kind=OrganisationKind.MEDIA),
        "other-osc": make_organisation("Association des femmes"),
        "unknown-kind": make_organisation("Structure X", kind=OrganisationKind.UNKNOWN),
        "none": None,
    }  # fmt: skip
    for key, organisation in organisations.items():
        make_attendance(workshop, make_person(f"Membre {key}", organisation=organisation))
    people = Person.objects.filter(full_name__startswith="Membre ").select_related("organisation")
    client.force_login(secretariat)

    in_python = {p.full_name: category(p.organisation) for p in people}
    in_database = dict(
        people.annotate(key=category_expression("organisation__")).values_list("full_name", "key")
    )
    _d, rows = read_csv(client.get(f"/reports/workshops/{workshop.pk}/list.csv"))

    assert in_python == {f"Membre {key}": key for key in organisations}
    assert in_database == in_python
    with translation.override("fr"):
        label = {key: str(text) for key, text in CATEGORIES}
    header = rows[0]
    name, kind = header.index("Nom"), header.index("Type de structure")
    in_list = {row[name]: row[kind] for row in rows[1:] if row[name].startswith("Membre ")}
    assert in_list == {f"Membre {key}": label[key] for key in organisations}
