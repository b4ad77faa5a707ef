"""The triggers that keep the summaries: on each counted table, what a write
there must change."""

from __future__ import annotations

from django.apps import apps

from workshops.models.summaries import attendance_columns, person_columns
from workshops.summaries.sql import (
    SCOPES_VIEW,
    WORKSHOP_PARTS,
    refresh_facts,
    refresh_scopes,
    table_of,
)

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
    attendance = table_of("workshops.Attendance")
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
    attendance = table_of("workshops.Attendance")
    person = table_of("workshops.Person")
    organisation = table_of("members.Organisation")
    workshop = table_of("workshops.Workshop")
    presence = table_of("workshops.Presence")
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
            refresh_facts(f"attendance_id IN (SELECT id FROM {NEW_ROWS} r)")
            + refresh_scopes(f"SELECT person_id FROM {NEW_ROWS} r"),
        ),
        (
            "attendance_removed",
            "AFTER DELETE",
            attendance,
            SET_WISE,
            refresh_facts(f"attendance_id IN (SELECT id FROM {OLD_ROWS} r)")
            + refresh_scopes(f"SELECT person_id FROM {OLD_ROWS} r"),
        ),
        (
            "attendance_changed",
            "AFTER UPDATE",
            attendance,
            ["workshop_id", "person_id", "role", "age_group_at_event"],
            refresh_facts("attendance_id = OLD.id")
            + refresh_scopes("OLD.person_id, NEW.person_id")
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
            refresh_facts(
                f"attendance_id IN (SELECT id FROM {attendance} WHERE person_id = NEW.id)"
            )
            + refresh_scopes("NEW.id"),
        ),
        (
            "organisation_changed",
            "AFTER UPDATE",
            organisation,
            ["membership_status", "ccsc_purn_member", "kind"],
            refresh_facts(
                f"attendance_id IN (SELECT a.id FROM {attendance} a JOIN {person} p "
                "ON p.id = a.person_id WHERE p.organisation_id = NEW.id)"
            )
            + refresh_scopes(f"SELECT id FROM {person} WHERE organisation_id = NEW.id"),
        ),
        (
            "workshop_changed",
            "AFTER UPDATE",
            workshop,
            None,
            _bump("NEW.id")
            + refresh_facts(
                f"attendance_id IN (SELECT id FROM {attendance} WHERE workshop_id = NEW.id) "
                "AND (OLD.start_date <> NEW.start_date)"
            )
            + refresh_scopes(
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
            _bump("NEW.workshop_id") + refresh_scopes(people_of_workshop % "NEW.workshop_id"),
        ),
        (
            "funder_removed",
            "AFTER DELETE",
            direct,
            None,
            _bump("OLD.workshop_id") + refresh_scopes(people_of_workshop % "OLD.workshop_id"),
        ),
        (
            "project_funder_added",
            "AFTER INSERT",
            project,
            None,
            refresh_scopes(_people_of_project(attendance, workshop, "NEW.project_id"))
            + _bump_project(workshop, "NEW.project_id"),
        ),
        (
            "project_funder_removed",
            "AFTER DELETE",
            project,
            None,
            refresh_scopes(_people_of_project(attendance, workshop, "OLD.project_id"))
            + _bump_project(workshop, "OLD.project_id"),
        ),
        (
            "project_changed",
            "AFTER UPDATE",
            table_of("workshops.Project"),
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
            table_of(label),
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
