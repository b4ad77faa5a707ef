"""The SQL the summaries are made of: the columns counted, the views that classify
attendances and scopes by the rules' database forms, and the statements that
reclassify rows."""

from __future__ import annotations

from django.apps import apps
from django.db.models import F

from workshops import rules
from workshops.models.summaries import person_columns

# --- The SQL ----------------------------------------------------------------------


def table_of(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def inline(sql: str, params) -> str:
    """A compiled query with its parameters written in (a view takes none).
    Only the rules' own constants reach here: numbers and short words."""
    values = []
    for value in params:
        if isinstance(value, bool):
            values.append("TRUE" if value else "FALSE")
        elif isinstance(value, int):
            values.append(str(value))
        elif isinstance(value, str):
            values.append("'" + value.replace("'", "''") + "'")
        else:
            raise TypeError(f"cannot inline {value!r}")
    return sql.replace("%%", "\x00") % tuple(values) if values else sql.replace("%%", "\x00")


def facts_select(connection, max_age: int) -> str:
    """Each attendance classified by the rules' database forms."""
    Attendance = apps.get_model("workshops", "Attendance")
    query = Attendance.objects.using(connection.alias).values(
        attendance_id=F("id"),
        workshop_ref=F("workshop_id"),
        person_ref=F("person_id"),
        role_key=F("role"),
        sex_key=F("person__sex"),
        age_group_key=rules.age_group_expression(
            birth_year="person__birth_year",
            event_date="workshop__start_date",
            typed_group="person__age_group",
            kept_group="age_group_at_event",
            max_age=max_age,
        ),
        category_key=rules.category_expression("person__organisation__"),
        region_key=F("person__region"),
        organisation_ref=F("person__organisation_id"),
    )
    sql, params = query.order_by().query.get_compiler(connection=connection).as_sql()
    return inline(sql, params).replace("\x00", "%")


def scope_workshops_select() -> str:
    """(scope, workshop): scope 0 holds every workshop held; a partner's id, those
    it funds directly or through their project (a set report counts held ones)."""
    from workshops.models import WorkshopStatus

    held = WorkshopStatus.HELD.value
    workshop = table_of("workshops.Workshop")
    direct = apps.get_model("workshops", "Workshop").funders.through._meta.db_table
    project = apps.get_model("workshops", "Project").funders.through._meta.db_table
    return (
        f"SELECT 0 AS scope_id, id AS workshop_id FROM {workshop} WHERE status = '{held}' "
        f"UNION ALL SELECT d.organisation_id, d.workshop_id FROM {direct} d "
        f"JOIN {workshop} w ON w.id = d.workshop_id WHERE w.status = '{held}' "
        f"UNION ALL SELECT pf.organisation_id, w.id FROM {workshop} w "
        f"JOIN {project} pf ON pf.project_id = w.project_id WHERE w.status = '{held}'"
    )


# Rows shown on a workshop's pages, each naming its workshop: a change raises its version.
WORKSHOP_PARTS = [
    "workshops.Outcome",
    "workshops.WorkshopDocument",
    "workshops.WorkshopPhoto",
    "workshops.AttendanceImport",
]
FACTS_VIEW = "workshops_attendance_facts_v"
SCOPES_VIEW = "workshops_scope_workshops_v"
FACT_COLUMNS = [
    "attendance_id",
    "workshop_id",
    "person_id",
    "role",
    "sex",
    "age_group",
    "category",
    "region",
    "organisation_id",
]
SCOPE_COLUMNS = [
    "scope_id",
    "person_id",
    "first_workshop_id",
    "sex",
    "age_group",
    "category",
    "region",
    "organisation_id",
]


def scope_rows_select(person_filter: str) -> str:
    """Each (scope, person) of the people the filter names, classified at their
    first workshop of the scope (by first day, then id)."""
    workshop = table_of("workshops.Workshop")
    return (
        "SELECT scope_id, person_id, workshop_id, sex, age_group, category, region, "
        "organisation_id FROM (SELECT sw.scope_id, f.person_id, f.workshop_id, f.sex, "
        "f.age_group, f.category, f.region, f.organisation_id, ROW_NUMBER() OVER "
        "(PARTITION BY sw.scope_id, f.person_id ORDER BY w.start_date, w.id) AS rank_ "
        f"FROM workshops_attendancefact f JOIN {workshop} w ON w.id = f.workshop_id "
        f"JOIN {SCOPES_VIEW} sw ON sw.workshop_id = f.workshop_id "
        f"WHERE {person_filter}) ranked WHERE rank_ = 1"
    )


def people_of_set_sql(set_sql: str) -> str:
    """Sums of ``person_columns()`` and the count of organisations over the people
    of any set of workshops (``set_sql`` selects their ids), each classified at
    their first workshop of the set."""
    sums = ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in person_columns().values())
    workshop = table_of("workshops.Workshop")
    return (
        f"SELECT {sums}, COUNT(DISTINCT organisation_id) FROM (SELECT f.sex, f.age_group, "
        "f.category, f.region, f.organisation_id, ROW_NUMBER() OVER (PARTITION BY f.person_id "
        "ORDER BY w.start_date, w.id) AS rank_ FROM workshops_attendancefact f "
        f"JOIN {workshop} w ON w.id = f.workshop_id WHERE f.workshop_id IN ({set_sql})) "
        "ranked WHERE rank_ = 1"
    )


def people_of_scope_sql() -> str:
    """Sums of ``person_columns()`` over a scope's rows (one per workshop), and the
    count of its organisations; one parameter, the scope, given twice."""
    sums = ", ".join(f"SUM({name})" for name in person_columns())
    scope_summary = table_of("workshops.ScopeSummary")
    scope_organisation = table_of("workshops.ScopeOrganisation")
    return (
        f"SELECT {sums}, (SELECT COUNT(*) FROM {scope_organisation} WHERE scope_id = %s) "
        f"FROM {scope_summary} WHERE scope_id = %s"
    )


def refresh_facts(attendance_filter: str) -> list[str]:
    """Reclassify the attendances the filter names (over ``attendance_id``)."""
    columns = ", ".join(FACT_COLUMNS)
    return [
        f"DELETE FROM workshops_attendancefact WHERE {attendance_filter}",
        f"INSERT INTO workshops_attendancefact ({columns}) SELECT attendance_id, workshop_ref, "
        "person_ref, role_key, sex_key, age_group_key, category_key, region_key, "
        f"organisation_ref FROM {FACTS_VIEW} WHERE {attendance_filter}",
    ]


def refresh_scopes(people: str) -> list[str]:
    """Recount the scope rows of the people ``people`` lists (the inside of an
    ``IN (…)``: ids, or a query selecting them)."""
    columns = ", ".join(SCOPE_COLUMNS)
    return [
        f"DELETE FROM workshops_scopeperson WHERE person_id IN ({people})",
        f"INSERT INTO workshops_scopeperson ({columns}) "
        + scope_rows_select(f"f.person_id IN ({people})"),
    ]


# Set-wise triggers read the rows a statement wrote as ROWS: PostgreSQL's
# transition table (one trigger call per statement, so a bulk insert updates each
# summary row once), or on SQLite, whose triggers run per row, that one row.
