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
after every ``migrate`` whose rules or youth limit differ from those installed
(a restore brings them back with the data). ``sql.py`` writes the classifying
views and statements, ``triggers.py`` what each write must change.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import transaction

from workshops import rules
from workshops.models.summaries import attendance_columns, column, person_columns
from workshops.summaries.sql import (
    FACT_COLUMNS,
    FACTS_VIEW,
    SCOPE_COLUMNS,
    SCOPES_VIEW,
    facts_select,
    people_of_scope_sql,
    people_of_set_sql,
    scope_rows_select,
    scope_workshops_select,
    table_of,
)
from workshops.summaries.triggers import NEW_ROWS, OLD_ROWS, SET_WISE, triggers

__all__ = [
    "attendance_columns",
    "column",
    "people_of_scope_sql",
    "people_of_set_sql",
    "person_columns",
    "rebuild_summaries",
    "summaries_are_current",
    "uninstall_summaries",
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
        f"CREATE VIEW {FACTS_VIEW} AS {facts_select(connection, max_age)}",
        f"CREATE VIEW {SCOPES_VIEW} AS {scope_workshops_select()}",
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
        + scope_rows_select("1=1")
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
    workshop = table_of("workshops.Workshop")
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
    attendance = table_of("workshops.Attendance")
    presence = table_of("workshops.Presence")
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

    connection = connections[using]
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
