"""The database's side of a backup: which engine, PostgreSQL's client tools and
connections, the file fields backed up and those left out, and what a copy of
the database holds (rows per table) and points to (stored files).

Left out: typed sheets waiting for their preview and finished exports. They
live a day at most and name attendees (see the register of personal data); a
restore drops the rows that point to them (upload the sheet, ask for the export
again).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from django.conf import settings
from django.db import connection, models

from common import files
from common.backups.archive import DATABASE_MEMBERS, BackupError

# Files that name attendees and live a day at most (see common/personal_data.py).
LEFT_OUT = frozenset({"workshops.AttendanceImport.file", "reports.ExportJob.file"})


def engine() -> str:
    """The configured database's engine, if backups are made of it."""
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups are made of PostgreSQL or SQLite, not {connection.vendor}.")
    return connection.vendor


# What the database points to --------------------------------------------------------


def file_fields(
    *, left_out: bool = False
) -> list[tuple[type[models.Model], models.FileField, str]]:
    """The file fields backed up, or those left out."""
    return [entry for entry in files.file_fields() if (entry[2] in LEFT_OUT) == left_out]


def referenced_files(cursor) -> dict[str, str]:
    """The stored names the database points to (left-out fields aside), each
    with the field that points to it, read through a DB-API cursor."""
    names = {}
    for model, model_field, label in file_fields():
        table, column = model._meta.db_table, model_field.column
        # Names from the models' own metadata; no value from outside.
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')  # noqa: S608
        names.update(dict.fromkeys((name for (name,) in cursor.fetchall()), label))
    return names


def count_rows(cursor, vendor: str) -> dict[str, int]:
    """Rows of every table of the database (of its current schema)."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = sorted(name for (name,) in cursor.fetchall() if not name.startswith("sqlite_"))
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


# PostgreSQL -------------------------------------------------------------------------


def postgres_environment(database: str | None = None) -> dict[str, str]:
    """libpq's variables for the configured server: no password on a command line."""
    configured = settings.DATABASES["default"]
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    environment = {**os.environ, "PGDATABASE": database or configured["NAME"]}
    environment.update(
        {pg: str(configured[key]) for key, pg in names.items() if configured.get(key)}
    )
    return environment


def postgres_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools).")
    return tool


def run_postgres_tool(command: list[str], *, database: str | None = None) -> None:
    # A fixed list of arguments, no shell; the database comes from the environment.
    result = subprocess.run(  # noqa: S603
        [postgres_tool(command[0]), *command[1:]],
        env=postgres_environment(database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {' '.join(result.stderr.split())}")


def connect_postgres(database: str | None = None):
    import psycopg

    configured = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=database or configured["NAME"],
        host=configured.get("HOST") or None,
        port=configured.get("PORT") or None,
        user=configured.get("USER") or None,
        password=configured.get("PASSWORD") or None,
        autocommit=True,
    )
