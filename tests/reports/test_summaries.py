"""The summaries the database keeps give the figures a recount of raw attendance gives,
whatever path a write takes: services, ``update()``, ``bulk_create()``, raw SQL,
the admin, a restore.

The recount here is written in Python over the raw rows, with the rules' Python
forms: it shares nothing with the triggers but the rules' definitions.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from members.models import MembershipStatus, OrganisationKind
from reports.queries import build_figures
from tests.factories import make_organisation
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops import rules
from workshops.models import (
    Attendance,
    AttendanceRole,
    Person,
    Presence,
    Project,
    Sex,
    Workshop,
    WorkshopStatus,
)
from workshops.summaries import rebuild_summaries, summaries_are_current

DAY = datetime.date(2022, 1, 26)
AGE_KEYS = {"youth": rules.YOUTH, "older": rules.OLDER, "unknown": rules.UNKNOWN}


def recount(workshops) -> dict:
    """Every figure of a set, counted in Python from the raw rows."""
    workshops = sorted(workshops, key=lambda w: (w.start_date, w.pk))
    ids = [w.pk for w in workshops]
    attendances = list(
        Attendance.objects.filter(workshop_id__in=ids).select_related(
            "person__organisation", "workshop"
        )
    )
    first: dict[int, Attendance] = {}
    for attendance in sorted(attendances, key=lambda a: (a.workshop.start_date, a.workshop_id)):
        first.setdefault(attendance.person_id, attendance)
    figures = {
        "participants": len(first),
        "attendances": len(attendances),
        "organisations": len({a.person.organisation_id for a in first.values()} - {None}),
        "person_days": Presence.objects.filter(attendance__workshop_id__in=ids).count(),
    }
    for sex in Sex.values:
        figures[f"sex:{sex}"] = sum(a.person.sex == sex for a in first.values())
    for key, group in AGE_KEYS.items():
        figures[f"age:{key}"] = sum(_group(a) == group for a in first.values())
    for key, _label in rules.CATEGORIES:
        figures[f"category:{key}"] = sum(
            rules.category(a.person.organisation) == key for a in first.values()
        )
    for role in AttendanceRole.values:
        figures[f"role:{role}"] = sum(a.role == role for a in attendances)
    for region in {a.person.region for a in first.values()}:
        figures[f"region:{region}"] = sum(a.person.region == region for a in first.values())
    for presence in Presence.objects.filter(attendance__workshop_id__in=ids).select_related(
        "attendance__workshop"
    ):
        key = f"day:{presence.day}:{presence.attendance.workshop.title}"
        figures[key] = figures.get(key, 0) + 1
    return figures


def _group(attendance: Attendance) -> str:
    return rules.age_group(
        birth_year=attendance.person.birth_year,
        event_year=attendance.workshop.start_date.year,
        typed_group=attendance.person.age_group,
        kept_group=attendance.age_group_at_event,
    )


def from_summaries(figures) -> dict:
    result = {
        "participants": figures.participants,
        "attendances": figures.attendances,
        "organisations": figures.organisations,
        "person_days": figures.person_days,
    }
    for line in figures.by_sex:
        result[f"sex:{line.key}"] = line.count
    for line in figures.by_age:
        result[f"age:{line.key}"] = line.count
    for line in figures.by_category:
        result[f"category:{line.key}"] = line.count
    for line in figures.by_role:
        result[f"role:{line.key}"] = line.count
    for line in figures.by_region:
        result[f"region:{line.key}"] = line.count
    for line in figures.per_day:
        result[f"day:{line.day}:{line.workshop}"] = line.count
    return result


@pytest.fixture
def alliance(db):
    """Three held workshops and a planned one, two funders, people of every kind."""
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind=OrganisationKind.PARTNER)
    dcaf = make_organisation("DCAF", "DCAF", kind=OrganisationKind.PARTNER)
    member = make_organisation("Femmes et Paix", "FEPA", membership_status=MembershipStatus.MEMBER)
    ccsc = make_organisation("Jeunes Leaders", "JL", ccsc_purn_member=True)
    project = Project.objects.create(name="Sécurité pour tous")
    project.funders.add(fes)
    founding = make_workshop("Atelier de fondation", project=project, status=WorkshopStatus.HELD)
    forum = make_workshop(
        "Forum national",
        start_date=datetime.date(2022, 11, 15),
        status=WorkshopStatus.HELD,
    )
    forum.funders.add(dcaf)
    training = make_workshop(
        "Formation DCAF", start_date=datetime.date(2023, 3, 28), status=WorkshopStatus.HELD
    )
    training.funders.add(dcaf, fes)
    planned = make_workshop("Prochain atelier", start_date=datetime.date(2027, 1, 5))
    planned.funders.add(fes)
    people = [
        make_person("Aminata Traoré", sex=Sex.FEMALE, birth_year=1988, organisation=member),
        make_person("Moussa Diarra", sex=Sex.MALE, birth_year=1987, organisation=ccsc),
        make_person("Fatoumata Keïta", sex=Sex.FEMALE, age_group=rules.YOUTH),
        make_person("Oumar Sangaré", sex=Sex.MALE, age_group=rules.OLDER, organisation=fes),
        make_person("Inconnu", organisation=member),
        # Registered for the planned workshop only: in no report of held workshops.
        make_person("Seydou Coulibaly", sex=Sex.MALE, birth_year=2000),
    ]
    make_attendance(founding, people[0], DAY, DAY + datetime.timedelta(days=1))
    make_attendance(founding, people[1], DAY)
    make_attendance(founding, people[2], role=AttendanceRole.FACILITATOR)
    make_attendance(forum, people[0], datetime.date(2022, 11, 15))
    make_attendance(forum, people[3], role=AttendanceRole.SPEAKER)
    make_attendance(training, people[1], datetime.date(2023, 3, 28))
    make_attendance(training, people[4])
    make_attendance(planned, people[2])
    make_attendance(planned, people[5])
    return {"fes": fes, "dcaf": dcaf, "member": member, "project": project, "people": people}


def assert_every_report_matches_a_recount(alliance) -> None:
    held = Workshop.objects.held()
    fes, dcaf = alliance["fes"], alliance["dcaf"]
    sets = {
        "every workshop held": (held, 0),
        "funded by FES": (held.funded_by(fes), fes.pk),
        "funded by DCAF": (held.funded_by(dcaf), dcaf.pk),
        "a filtered set": (held.filter(start_date__year=2022), None),
    }
    for workshop in Workshop.objects.all():
        sets[workshop.title] = (Workshop.objects.filter(pk=workshop.pk), None)
    for name, (workshops, scope) in sets.items():
        figures = from_summaries(build_figures(workshops, scope=scope))
        assert figures == recount(list(workshops)), name
        if scope is not None:
            # The scope's kept unique people agree with the same set counted live.
            assert from_summaries(build_figures(workshops)) == figures, name


def test_the_summaries_match_a_recount_after_the_services_wrote(alliance):
    assert_every_report_matches_a_recount(alliance)


def test_a_report_of_a_whole_scope_sums_one_row_per_workshop(
    alliance, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        figures = build_figures(Workshop.objects.held(), scope=0)
    assert figures.participants == 5


def test_writes_by_update_and_bulk_create_are_counted(alliance):
    people = alliance["people"]
    Person.objects.filter(pk=people[4].pk).update(sex=Sex.FEMALE, birth_year=2001)
    Workshop.objects.filter(title="Forum national").update(start_date=datetime.date(2021, 6, 1))
    forum = Workshop.objects.get(title="Forum national")
    extra = [make_person(f"Participant {n}", sex=Sex.MALE) for n in range(3)]
    attendances = Attendance.objects.bulk_create(
        [Attendance(workshop=forum, person=person) for person in extra]
    )
    Presence.objects.bulk_create(
        [Presence(attendance=attendance, day=forum.start_date) for attendance in attendances]
    )
    Attendance.objects.filter(person=people[1]).update(role=AttendanceRole.ORGANISER)
    alliance["member"].__class__.objects.filter(pk=alliance["member"].pk).update(
        membership_status=MembershipStatus.SUSPENDED
    )
    assert_every_report_matches_a_recount(alliance)


def test_writes_in_raw_sql_are_counted(alliance):
    people = alliance["people"]
    training = Workshop.objects.get(title="Formation DCAF")
    founding = Workshop.objects.get(title="Atelier de fondation")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workshops_attendance (workshop_id, person_id, role, age_group_at_event, "
            "created_at) VALUES (%s, %s, 'participant', '', %s)",
            [training.pk, people[3].pk, datetime.datetime(2023, 3, 28, 9)],
        )
        cursor.execute(
            "INSERT INTO workshops_presence (attendance_id, day) SELECT id, %s "
            "FROM workshops_attendance WHERE workshop_id = %s "
            "AND id NOT IN (SELECT attendance_id FROM workshops_presence)",
            [training.start_date, training.pk],
        )
        cursor.execute("DELETE FROM workshops_presence WHERE day = %s", [DAY])
        cursor.execute(
            "INSERT INTO workshops_workshop_funders (workshop_id, organisation_id) VALUES (%s, %s)",
            [founding.pk, alliance["dcaf"].pk],
        )
        cursor.execute(
            "UPDATE workshops_person SET birth_year = NULL, age_group = '' WHERE id = %s",
            [people[0].pk],
        )
        cursor.execute(
            "UPDATE workshops_workshop SET status = 'planned' WHERE id = %s",
            [Workshop.objects.get(title="Forum national").pk],
        )
    assert_every_report_matches_a_recount(alliance)


def test_removals_are_counted(alliance):
    people = alliance["people"]
    Attendance.objects.filter(person=people[0], workshop__title="Atelier de fondation").delete()
    alliance["project"].funders.remove(alliance["fes"])
    Workshop.objects.get(title="Formation DCAF").funders.remove(alliance["dcaf"])
    Workshop.objects.filter(title="Prochain atelier").delete()
    assert_every_report_matches_a_recount(alliance)


def test_an_organisation_changed_in_the_admin_is_counted(alliance, client):
    from tests.factories import make_user, pass_second_factor

    admin = make_user("admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    pass_second_factor(client, admin)
    fes = alliance["fes"]
    # A partner retyped as a public institution: its staff's category changes.
    fes.kind = OrganisationKind.PUBLIC
    fes.save()
    project = alliance["project"]
    response = client.post(
        f"/admin/workshops/project/{project.pk}/change/",
        {"name": project.name, "funders": [alliance["dcaf"].pk]},
    )
    assert response.status_code in (200, 302)
    assert_every_report_matches_a_recount(alliance)


def test_a_rebuild_gives_the_same_sums(alliance):
    before = from_summaries(build_figures(Workshop.objects.held(), scope=0))
    rebuild_summaries()
    assert from_summaries(build_figures(Workshop.objects.held(), scope=0)) == before
    assert_every_report_matches_a_recount(alliance)


def test_a_new_youth_limit_recounts_every_summary_at_the_next_migrate(alliance, settings):
    settings.ACRSS_YOUTH_MAX_AGE = 30
    assert not summaries_are_current()
    rebuild_summaries()
    assert_every_report_matches_a_recount(alliance)
    figures = build_figures(Workshop.objects.held(), scope=0)
    assert figures.youth_max_age == 30
