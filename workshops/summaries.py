"""Report figures kept by the database itself, in the transaction of every write.

Triggers on the counted tables (attendance, person, organisation, workshop,
presence and the funding links) keep two layers of tables, whatever path the
write takes: a service, the admin, ``update()``, ``bulk_create()``, raw SQL or a
restore.

1. Classified rows. ``AttendanceFact`` holds each attendance as the reports
   classify it (sex, age group at the event, kind of organisation, region,
   role), computed by ``workshops.rules``' database forms; ``ScopePerson`` holds
   each person once per scope (every workshop, or those one partner funds),
   classified at their first workshop of that scope.
2. Sums of those rows. ``WorkshopSummary`` (one row per workshop),
   ``ScopeSummary`` (one row per scope and workshop where people were first
   seen in that scope), ``WorkshopDay`` (present per workshop and day) and the
   organisation counts. Each is changed by the difference a classified row
   makes when it comes or goes: a check-in costs a few rows' updates whatever
   the size of the data.

A report then sums at most one row per workshop. A figure of a scope's unique
people, which cannot be summed over workshops, comes from ``ScopeSummary``.

Installed (views and triggers) and filled set-wise by ``rebuild_summaries``
after every ``migrate`` whose rules differ from those installed, after a
restore, and when the youth limit changes.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection as default_connection
from django.db import transaction
from django.db.models import F

from workshops import rules

# What a classified row is counted by, and the columns of the sums it feeds.
SEXES = ["F", "M", "U"]
AGE_GROUPS = {"youth": rules.YOUTH, "older": rules.OLDER, "unknown": rules.UNKNOWN}


def _categories() -> list[str]:
    return [key for key, _label in rules.CATEGORIES]


def _regions() -> list[str]:
    from members.models import Region

    return [*Region.values, ""]


def _roles() -> list[str]:
    from workshops.models import AttendanceRole

    return list(AttendanceRole.values)


def column(kind: str, key: str) -> str:
    """The column counting one value: ``column("region", "kayes")`` → ``region_kayes``."""
    key = (key or "unknown").replace("-", "_").lower()
    return f"{kind}_{key}"


def person_columns() -> dict[str, str]:
    """Columns counted per person, each with its condition on a classified row."""
    columns = {"participants": "1=1"}
    for sex in SEXES:
        columns[column("sex", sex)] = f"sex = '{sex}'"
    for name, group in AGE_GROUPS.items():
        columns[column("age", name)] = f"age_group = '{group}'"
    for sex in SEXES:
        for name, group in AGE_GROUPS.items():
            columns[f"sex_{sex.lower()}_{name}"] = f"sex = '{sex}' AND age_group = '{group}'"
    for key in _categories():
        columns[column("category", key)] = f"category = '{key}'"
    for region in _regions():
        columns[column("region", region)] = f"region = '{region}'"
    return columns


def attendance_columns() -> dict[str, str]:
    """Person columns and, per attendance, its role."""
    columns = person_columns()
    for role in _roles():
        columns[column("role", role)] = f"role = '{role}'"
    return columns


# --- The SQL ----------------------------------------------------------------------


def _table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _inline(sql: str, params) -> str:
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


def _facts_select(connection, max_age: int) -> str:
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
    return _inline(sql, params).replace("\x00", "%")


def _scope_workshops_select() -> str:
    """(scope, workshop): scope 0 holds every workshop; a partner's id, those it
    funds directly or through their project."""
    workshop = _table("workshops.Workshop")
    direct = apps.get_model("workshops", "Workshop").funders.through._meta.db_table
    project = apps.get_model("workshops", "Project").funders.through._meta.db_table
    return (
        f"SELECT 0 AS scope_id, id AS workshop_id FROM {workshop} "
        f"UNION ALL SELECT organisation_id, workshop_id FROM {direct} "
        f"UNION ALL SELECT pf.organisation_id, w.id FROM {workshop} w "
        f"JOIN {project} pf ON pf.project_id = w.project_id"
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


def _scope_rows_select(person_filter: str) -> str:
    """Each (scope, person) of the people the filter names, classified at their
    first workshop of the scope (by first day, then id)."""
    workshop = _table("workshops.Workshop")
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
    workshop = _table("workshops.Workshop")
    return (
        f"SELECT {sums}, COUNT(DISTINCT organisation_id) FROM (SELECT f.sex, f.age_group, "
        "f.category, f.region, f.organisation_id, ROW_NUMBER() OVER (PARTITION BY f.person_id "
        "ORDER BY w.start_date, w.id) AS rank_ FROM workshops_attendancefact f "
        f"JOIN {workshop} w ON w.id = f.workshop_id WHERE f.workshop_id IN ({set_sql})) "
        "ranked WHERE rank_ = 1"
    )


def _refresh_facts(attendance_filter: str) -> list[str]:
    """Reclassify the attendances the filter names (over ``attendance_id``)."""
    columns = ", ".join(FACT_COLUMNS)
    return [
        f"DELETE FROM workshops_attendancefact WHERE {attendance_filter}",
        f"INSERT INTO workshops_attendancefact ({columns}) SELECT attendance_id, workshop_ref, "
        "person_ref, role_key, sex_key, age_group_key, category_key, region_key, "
        f"organisation_ref FROM {FACTS_VIEW} WHERE {attendance_filter}",
    ]


def _refresh_scopes(people: str) -> list[str]:
    """Recount the scope rows of the people ``people`` lists (the inside of an
    ``IN (…)``: ids, or a query selecting them)."""
    columns = ", ".join(SCOPE_COLUMNS)
    return [
        f"DELETE FROM workshops_scopeperson WHERE person_id IN ({people})",
        f"INSERT INTO workshops_scopeperson ({columns}) "
        + _scope_rows_select(f"f.person_id IN ({people})"),
    ]


# Set-wise triggers read the rows a statement wrote as ROWS: PostgreSQL's
# transition table (one trigger call per statement, so a bulk insert updates each
# summary row once), or on SQLite, whose triggers run per row, that one row.
NEW_ROWS = "__new_rows__"
OLD_ROWS = "__old_rows__"


def _add_rows(target: str, keys: dict[str, str], columns: dict[str, str]) -> list[str]:
    """Add the classified rows written (ROWS) to the sums in ``target``; ``keys``
    maps each of its key columns to the rows' column."""
    sums = [f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in columns.values()]
    updates = ", ".join(f"{name} = {target}.{name} + excluded.{name}" for name in columns)
    group = ", ".join(keys.values())
    return [
        f"INSERT INTO {target} ({', '.join([*keys, *columns])}, revision) "
        f"SELECT {group}, {', '.join(sums)}, 1 FROM {NEW_ROWS} r WHERE 1=1 GROUP BY {group} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}, "
        f"revision = {target}.revision + 1"
    ]


def _subtract_rows(target: str, keys: dict[str, str], columns: dict[str, str]) -> list[str]:
    """Take the classified rows removed (ROWS) out of the sums in ``target``."""
    sums = ", ".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"
        for name, condition in columns.items()
    )
    updates = ", ".join(f"{name} = {target}.{name} - d.{name}" for name in columns)
    group = ", ".join(f"{source} AS {key}" for key, source in keys.items())
    where = " AND ".join(f"{target}.{key} = d.{key}" for key in keys)
    return [
        f"UPDATE {target} SET {updates}, revision = {target}.revision + 1 FROM "
        f"(SELECT {group}, {sums} FROM {OLD_ROWS} r GROUP BY {', '.join(keys.values())}) d "
        f"WHERE {where}"
    ]


def _count_organisations(target: str, key: str, source: str, sign: int) -> list[str]:
    """People per (workshop or scope, organisation), from the rows written or removed."""
    keys = f"{key}, organisation_id"
    rows = NEW_ROWS if sign > 0 else OLD_ROWS
    counted = (
        f"SELECT {source} AS {key}, organisation_id, COUNT(*) AS people FROM {rows} r "
        f"WHERE organisation_id IS NOT NULL GROUP BY {source}, organisation_id"
    )
    if sign > 0:
        statements = [
            f"INSERT INTO {target} ({keys}, people) {counted} "
            f"ON CONFLICT ({keys}) DO UPDATE SET people = {target}.people + excluded.people"
        ]
    else:
        statements = [
            f"UPDATE {target} SET people = {target}.people - d.people FROM ({counted}) d "
            f"WHERE {target}.{key} = d.{key} AND {target}.organisation_id = d.organisation_id",
            f"DELETE FROM {target} WHERE people <= 0 AND {key} IN (SELECT {source} FROM {rows} r)",
        ]
    if target == "workshops_workshoporganisation":
        # A workshop's unique organisations, kept on its row: a few rows counted.
        statements.append(
            "UPDATE workshops_workshopsummary SET organisations = (SELECT COUNT(*) FROM "
            f"{target} o WHERE o.workshop_id = workshops_workshopsummary.workshop_id) "
            f"WHERE workshop_id IN (SELECT {source} FROM {rows} r)"
        )
    return statements


def _day_changes(sign: int) -> list[str]:
    """People present per workshop and day, from the presences written or removed."""
    attendance = _table("workshops.Attendance")
    rows = NEW_ROWS if sign > 0 else OLD_ROWS
    counted = (
        f"SELECT a.workshop_id, r.day, COUNT(*) AS present FROM {rows} r "
        f"JOIN {attendance} a ON a.id = r.attendance_id WHERE 1=1 GROUP BY a.workshop_id, r.day"
    )
    workshops = f"SELECT a.workshop_id FROM {rows} r JOIN {attendance} a ON a.id = r.attendance_id"
    if sign > 0:
        change = (
            f"INSERT INTO workshops_workshopday (workshop_id, day, present) {counted} "
            "ON CONFLICT (workshop_id, day) DO UPDATE SET "
            "present = workshops_workshopday.present + excluded.present"
        )
    else:
        change = (
            "UPDATE workshops_workshopday SET present = workshops_workshopday.present - d.present "
            f"FROM ({counted}) d WHERE workshops_workshopday.workshop_id = d.workshop_id "
            "AND workshops_workshopday.day = d.day"
        )
    return [
        change,
        "UPDATE workshops_workshopsummary SET day_revision = day_revision + 1 "
        f"WHERE workshop_id IN ({workshops})",
    ]


def _bump(workshop: str, name: str = "revision") -> list[str]:
    return [
        f"INSERT INTO workshops_workshopsummary (workshop_id, {name}) SELECT {workshop}, 1 "
        f"WHERE {workshop} IS NOT NULL ON CONFLICT (workshop_id) DO UPDATE SET "
        f"{name} = workshops_workshopsummary.{name} + 1"
    ]


# In place of the columns whose change matters: a trigger that reads every row its
# statement wrote or removed at once (NEW_ROWS, OLD_ROWS).
SET_WISE = "set-wise"


def triggers() -> list[tuple[str, str, str, list[str] | str | None, list[str]]]:
    """(name, timing and event, table, columns whose change matters or SET_WISE,
    statements)."""
    attendance = _table("workshops.Attendance")
    person = _table("workshops.Person")
    organisation = _table("members.Organisation")
    workshop = _table("workshops.Workshop")
    presence = _table("workshops.Presence")
    direct = apps.get_model("workshops", "Workshop").funders.through._meta.db_table
    project = apps.get_model("workshops", "Project").funders.through._meta.db_table
    workshop_keys = {"workshop_id": "workshop_id"}
    scope_keys = {"scope_id": "scope_id", "workshop_id": "first_workshop_id"}
    people_of_workshop = f"SELECT person_id FROM {attendance} WHERE workshop_id = %s"
    presences_of = f"SELECT day FROM {presence} WHERE attendance_id = %s"
    return [
        # Layer 1: classified rows follow the rows they classify.
        (
            "attendance_added",
            "AFTER INSERT",
            attendance,
            SET_WISE,
            _refresh_facts(f"attendance_id IN (SELECT id FROM {NEW_ROWS} r)")
            + _refresh_scopes(f"SELECT person_id FROM {NEW_ROWS} r"),
        ),
        (
            "attendance_removed",
            "AFTER DELETE",
            attendance,
            SET_WISE,
            _refresh_facts(f"attendance_id IN (SELECT id FROM {OLD_ROWS} r)")
            + _refresh_scopes(f"SELECT person_id FROM {OLD_ROWS} r"),
        ),
        (
            "attendance_changed",
            "AFTER UPDATE",
            attendance,
            ["workshop_id", "person_id", "role", "age_group_at_event"],
            _refresh_facts("attendance_id = OLD.id")
            + _refresh_scopes("OLD.person_id, NEW.person_id")
            # Its days present move with it to another workshop.
            + [
                "UPDATE workshops_workshopday SET present = present - 1 "
                f"WHERE workshop_id = OLD.workshop_id AND day IN ({presences_of % 'OLD.id'}) "
                "AND OLD.workshop_id <> NEW.workshop_id",
                "INSERT INTO workshops_workshopday (workshop_id, day, present) "
                f"SELECT NEW.workshop_id, day, COUNT(*) FROM {presence} "
                "WHERE attendance_id = NEW.id AND OLD.workshop_id <> NEW.workshop_id "
                "GROUP BY day ON CONFLICT (workshop_id, day) DO UPDATE SET "
                "present = workshops_workshopday.present + excluded.present",
            ],
        ),
        (
            "person_changed",
            "AFTER UPDATE",
            person,
            ["sex", "birth_year", "age_group", "region", "organisation_id"],
            _refresh_facts(
                f"attendance_id IN (SELECT id FROM {attendance} WHERE person_id = NEW.id)"
            )
            + _refresh_scopes("NEW.id"),
        ),
        (
            "organisation_changed",
            "AFTER UPDATE",
            organisation,
            ["membership_status", "ccsc_purn_member", "kind"],
            _refresh_facts(
                f"attendance_id IN (SELECT a.id FROM {attendance} a JOIN {person} p "
                "ON p.id = a.person_id WHERE p.organisation_id = NEW.id)"
            )
            + _refresh_scopes(f"SELECT id FROM {person} WHERE organisation_id = NEW.id"),
        ),
        (
            "workshop_changed",
            "AFTER UPDATE",
            workshop,
            None,
            _bump("NEW.id")
            + _refresh_facts(
                f"attendance_id IN (SELECT id FROM {attendance} WHERE workshop_id = NEW.id) "
                "AND (OLD.start_date <> NEW.start_date)"
            )
            + _refresh_scopes(
                people_of_workshop
                % "NEW.id"
                + " AND (OLD.start_date <> NEW.start_date OR OLD.status <> NEW.status OR "
                "COALESCE(OLD.project_id, 0) <> COALESCE(NEW.project_id, 0))"
            ),
        ),
        ("workshop_added", "AFTER INSERT", workshop, None, _bump("NEW.id")),
        (
            "workshop_removed",
            "AFTER DELETE",
            workshop,
            None,
            [
                f"DELETE FROM {table} WHERE workshop_id = OLD.id"
                for table in (
                    "workshops_workshopsummary",
                    "workshops_workshopday",
                    "workshops_workshoporganisation",
                    "workshops_scopesummary",
                )
            ],
        ),
        (
            "funder_added",
            "AFTER INSERT",
            direct,
            None,
            _bump("NEW.workshop_id") + _refresh_scopes(people_of_workshop % "NEW.workshop_id"),
        ),
        (
            "funder_removed",
            "AFTER DELETE",
            direct,
            None,
            _bump("OLD.workshop_id") + _refresh_scopes(people_of_workshop % "OLD.workshop_id"),
        ),
        (
            "project_funder_added",
            "AFTER INSERT",
            project,
            None,
            _refresh_scopes(_people_of_project(attendance, workshop, "NEW.project_id"))
            + _bump_project(workshop, "NEW.project_id"),
        ),
        (
            "project_funder_removed",
            "AFTER DELETE",
            project,
            None,
            _refresh_scopes(_people_of_project(attendance, workshop, "OLD.project_id"))
            + _bump_project(workshop, "OLD.project_id"),
        ),
        (
            "project_changed",
            "AFTER UPDATE",
            _table("workshops.Project"),
            None,
            _bump_project(workshop, "NEW.id"),
        ),
        # What a workshop's pages show besides its figures: its version grows.
        (
            "person_touched",
            "AFTER UPDATE",
            person,
            None,
            [
                "UPDATE workshops_workshopsummary SET revision = revision + 1 WHERE workshop_id "
                f"IN (SELECT workshop_id FROM {attendance} WHERE person_id = NEW.id)"
            ],
        ),
        (
            "organisation_touched",
            "AFTER UPDATE",
            organisation,
            None,
            [
                "UPDATE workshops_workshopsummary SET revision = revision + 1 WHERE workshop_id "
                f"IN (SELECT a.workshop_id FROM {attendance} a JOIN {person} p "
                "ON p.id = a.person_id WHERE p.organisation_id = NEW.id) OR workshop_id IN "
                f"(SELECT workshop_id FROM {SCOPES_VIEW} WHERE scope_id = NEW.id)"
            ],
        ),
        *_part_triggers(),
        ("presence_added", "AFTER INSERT", presence, SET_WISE, _day_changes(1)),
        ("presence_removed", "AFTER DELETE", presence, SET_WISE, _day_changes(-1)),
        (
            "presence_changed",
            "AFTER UPDATE",
            presence,
            SET_WISE,
            _day_changes(-1) + _day_changes(1),
        ),
        # Layer 2: sums follow the classified rows.
        (
            "fact_added",
            "AFTER INSERT",
            "workshops_attendancefact",
            SET_WISE,
            _add_rows("workshops_workshopsummary", workshop_keys, attendance_columns())
            + _count_organisations(
                "workshops_workshoporganisation", "workshop_id", "workshop_id", 1
            ),
        ),
        (
            "fact_removed",
            "AFTER DELETE",
            "workshops_attendancefact",
            SET_WISE,
            _subtract_rows("workshops_workshopsummary", workshop_keys, attendance_columns())
            + _count_organisations(
                "workshops_workshoporganisation", "workshop_id", "workshop_id", -1
            ),
        ),
        (
            "scope_person_added",
            "AFTER INSERT",
            "workshops_scopeperson",
            SET_WISE,
            _add_rows("workshops_scopesummary", scope_keys, person_columns())
            + _count_organisations("workshops_scopeorganisation", "scope_id", "scope_id", 1),
        ),
        (
            "scope_person_removed",
            "AFTER DELETE",
            "workshops_scopeperson",
            SET_WISE,
            _subtract_rows("workshops_scopesummary", scope_keys, person_columns())
            + _count_organisations("workshops_scopeorganisation", "scope_id", "scope_id", -1),
        ),
    ]


def _part_triggers() -> list[tuple]:
    events = [("added", "AFTER INSERT", "NEW"), ("changed", "AFTER UPDATE", "NEW")]
    events.append(("removed", "AFTER DELETE", "OLD"))
    return [
        (
            f"{label.split('.')[1].lower()}_{name}",
            event,
            _table(label),
            None,
            _bump(f"{row}.workshop_id"),
        )
        for label in WORKSHOP_PARTS
        for name, event, row in events
    ]


def _people_of_project(attendance: str, workshop: str, project: str) -> str:
    return (
        f"SELECT a.person_id FROM {attendance} a JOIN {workshop} w "
        f"ON w.id = a.workshop_id WHERE w.project_id = {project}"
    )


def _bump_project(workshop: str, project: str) -> list[str]:
    return [
        "UPDATE workshops_workshopsummary SET revision = revision + 1 "
        f"WHERE workshop_id IN (SELECT id FROM {workshop} WHERE project_id = {project})"
    ]


# --- Installing and filling -------------------------------------------------------


def _create_trigger(vendor: str, name, event, table, columns, statements) -> list[str]:
    full_name = f"workshops_{name}"
    set_wise = columns == SET_WISE
    body = ";\n".join(statements)
    if vendor == "postgresql":
        body = body.replace(NEW_ROWS, "new_rows").replace(OLD_ROWS, "old_rows")
        if set_wise:
            tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}
            both = "OLD TABLE AS old_rows NEW TABLE AS new_rows"
            level = f"REFERENCING {tables.get(event.split()[1], both)} FOR EACH STATEMENT"
        else:
            level = "FOR EACH ROW"
            if columns:
                changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
                level += f" WHEN ({changed})"
        return [
            f"CREATE OR REPLACE FUNCTION {full_name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body};\nRETURN NULL;\nEND $$",
            f"CREATE TRIGGER {full_name} {event} ON {table} {level} EXECUTE FUNCTION {full_name}()",
        ]
    condition = ""
    if set_wise:
        names = _columns_of(table)
        for token, row in ((NEW_ROWS, "NEW"), (OLD_ROWS, "OLD")):
            one_row = ", ".join(f"{row}.{name} AS {name}" for name in names)
            body = body.replace(token, f"(SELECT {one_row})")
    elif columns:
        condition = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return [
        f"CREATE TRIGGER {full_name} {event} ON {table} FOR EACH ROW{condition}\n"
        f"BEGIN\n{body};\nEND"
    ]


def _columns_of(table: str) -> list[str]:
    """The columns of one of our tables (a set-wise trigger's row on SQLite)."""
    models = apps.get_models(include_auto_created=True)
    model = next(model for model in models if model._meta.db_table == table)
    return [field.column for field in model._meta.local_fields]


def _drop_trigger(vendor: str, name: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS workshops_{name} ON {table}",
            f"DROP FUNCTION IF EXISTS workshops_{name}()",
        ]
    return [f"DROP TRIGGER IF EXISTS workshops_{name}"]


def definition(connection, max_age: int) -> list[str]:
    """Every statement that installs the views and triggers."""
    statements = [
        f"CREATE VIEW {FACTS_VIEW} AS {_facts_select(connection, max_age)}",
        f"CREATE VIEW {SCOPES_VIEW} AS {_scope_workshops_select()}",
    ]
    for name, event, table, columns, body in triggers():
        statements += _create_trigger(connection.vendor, name, event, table, columns, body)
    return statements


def _uninstall(cursor, vendor: str) -> None:
    for name, _event, table, _columns, _body in triggers():
        for statement in _drop_trigger(vendor, name, table):
            cursor.execute(statement)
    cursor.execute(f"DROP VIEW IF EXISTS {SCOPES_VIEW}")
    cursor.execute(f"DROP VIEW IF EXISTS {FACTS_VIEW}")


def uninstall_summaries(using: str = "default") -> None:
    """Take the triggers off, for a bulk load that ``rebuild_summaries`` then
    counts set-wise (a million attendances, one trigger each, would take minutes)."""
    from django.db import connections

    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _uninstall(cursor, connection.vendor)
        cursor.execute("DELETE FROM workshops_summarystate")


def fingerprint(connection, max_age: int) -> str:
    return hashlib.sha256("\n".join(definition(connection, max_age)).encode()).hexdigest()


def _fill(cursor) -> None:
    """Count every sum afresh from the classified rows, set-wise (triggers are off)."""
    for table in (
        "workshops_attendancefact",
        "workshops_scopeperson",
        "workshops_workshopsummary",
        "workshops_scopesummary",
        "workshops_workshopday",
        "workshops_workshoporganisation",
        "workshops_scopeorganisation",
    ):
        cursor.execute(f"DELETE FROM {table}")
    cursor.execute(
        f"INSERT INTO workshops_attendancefact ({', '.join(FACT_COLUMNS)}) SELECT attendance_id, "
        "workshop_ref, person_ref, role_key, sex_key, age_group_key, category_key, region_key, "
        f"organisation_ref FROM {FACTS_VIEW}"
    )
    cursor.execute(
        f"INSERT INTO workshops_scopeperson ({', '.join(SCOPE_COLUMNS)}) "
        + _scope_rows_select("1=1")
    )
    _sum(
        cursor,
        "workshops_workshopsummary",
        "workshop_id",
        "workshop_id",
        attendance_columns(),
        "workshops_attendancefact",
    )
    _sum(
        cursor,
        "workshops_scopesummary",
        "scope_id, workshop_id",
        "scope_id, first_workshop_id",
        person_columns(),
        "workshops_scopeperson",
    )
    workshop = _table("workshops.Workshop")
    cursor.execute(
        "INSERT INTO workshops_workshopsummary (workshop_id, revision) "
        f"SELECT id, 1 FROM {workshop} WHERE id NOT IN "
        "(SELECT workshop_id FROM workshops_workshopsummary)"
    )
    cursor.execute(
        "INSERT INTO workshops_workshoporganisation (workshop_id, organisation_id, people) "
        "SELECT workshop_id, organisation_id, COUNT(*) FROM workshops_attendancefact "
        "WHERE organisation_id IS NOT NULL GROUP BY workshop_id, organisation_id"
    )
    cursor.execute(
        "UPDATE workshops_workshopsummary SET organisations = (SELECT COUNT(*) FROM "
        "workshops_workshoporganisation o "
        "WHERE o.workshop_id = workshops_workshopsummary.workshop_id)"
    )
    cursor.execute(
        "INSERT INTO workshops_scopeorganisation (scope_id, organisation_id, people) "
        "SELECT scope_id, organisation_id, COUNT(*) FROM workshops_scopeperson "
        "WHERE organisation_id IS NOT NULL GROUP BY scope_id, organisation_id"
    )
    attendance = _table("workshops.Attendance")
    presence = _table("workshops.Presence")
    cursor.execute(
        "INSERT INTO workshops_workshopday (workshop_id, day, present) "
        f"SELECT a.workshop_id, p.day, COUNT(*) FROM {presence} p JOIN {attendance} a "
        "ON a.id = p.attendance_id GROUP BY a.workshop_id, p.day"
    )


def _sum(cursor, target: str, keys: str, source_keys: str, columns: dict[str, str], source):
    sums = ", ".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in columns.values()
    )
    cursor.execute(
        f"INSERT INTO {target} ({keys}, {', '.join(columns)}, revision) "
        f"SELECT {source_keys}, {sums}, 1 FROM {source} GROUP BY {source_keys}"
    )


def rebuild_summaries(using: str = "default", *, max_age: int | None = None) -> None:
    """Install the views and triggers of the current rules, and count every sum afresh."""
    from django.db import connections

    connection = connections[using] if using else default_connection
    max_age = rules.youth_max_age() if max_age is None else max_age
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _uninstall(cursor, connection.vendor)
        statements = definition(connection, max_age)
        # The views first: filling reads them; the triggers last, once the sums are whole.
        for statement in statements[:2]:
            cursor.execute(statement)
        _fill(cursor)
        for statement in statements[2:]:
            cursor.execute(statement)
        cursor.execute("DELETE FROM workshops_summarystate")
        cursor.execute(
            "INSERT INTO workshops_summarystate (id, fingerprint, youth_max_age) "
            "VALUES (1, %s, %s)",
            [fingerprint(connection, max_age), max_age],
        )


def summaries_are_current(using: str = "default") -> bool:
    """Whether the installed triggers are those of today's rules and youth limit."""
    from django.db import connections

    connection = connections[using]
    max_age = rules.youth_max_age()
    with connection.cursor() as cursor:
        cursor.execute("SELECT fingerprint FROM workshops_summarystate WHERE id = 1")
        row = cursor.fetchone()
    return row is not None and row[0] == fingerprint(connection, max_age)
