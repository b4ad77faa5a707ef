"""Backup and restore of the database and the uploaded files, as one archive.

The archive holds `database.dump` (pg_dump's custom format, without owners or
privileges, so that it restores under any role) and `media/`, a copy of
MEDIA_ROOT. PostgreSQL only: the embedded SQLite database is the demo's. A
restore ends by emptying every cache, so that no page of another state of the
data is shown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

DATABASE_MEMBER = "database.dump"
MEDIA_MEMBER = "media"


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Summary:
    tables: int
    files: int


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the configured database: no password on a command line."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups are made of a PostgreSQL database (DATABASE_URL).")
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    environment = {**os.environ, "PGDATABASE": database["NAME"]}
    environment.update({pg: str(database[key]) for key, pg in names.items() if database.get(key)})
    return environment


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).")
    # A fixed list of arguments, no shell; the database comes from the environment.
    result = subprocess.run(  # noqa: S603
        [tool, *command[1:]], env=_postgres_environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def write_backup(archive: Path) -> Summary:
    """Dump the database and copy MEDIA_ROOT into one tar archive."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_MEMBER
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"])
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w") as tar:
            tar.add(dump, arcname=DATABASE_MEMBER)
            files = _files_under(media_root)
            for path in files:
                tar.add(path, arcname=f"{MEDIA_MEMBER}/{path.relative_to(media_root)}")
    return Summary(tables=len(connection.introspection.table_names()), files=len(files))


def restore_backup(archive: Path) -> Summary:
    """Load an archive into the configured database, which must be empty, and put
    its files back under MEDIA_ROOT."""
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {settings.DATABASES['default']['NAME']} is not empty: "
            "restore into a new, empty database."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive) as tar:
        # "data": no absolute paths, links or devices out of the archive.
        tar.extractall(work, filter="data")
        dump = Path(work) / DATABASE_MEMBER
        if not dump.exists():
            raise BackupError(f"{archive} holds no {DATABASE_MEMBER}: is it a backup of ours?")
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(dump),
            ]
        )
        files = _files_under(Path(work) / MEDIA_MEMBER)
        for path in files:
            target = media_root / path.relative_to(Path(work) / MEDIA_MEMBER)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    _clear_caches()
    connection.close()
    return Summary(tables=len(connection.introspection.table_names()), files=len(files))


def _clear_caches() -> None:
    """Empty every configured cache: nothing kept from another state of the data
    (pages, parts of pages, figures, roles) is read again. The database cache's
    table comes back from the archive as it was then, or is missing when the
    archive was made with Redis: it is created when missing, then emptied."""
    call_command("createcachetable", verbosity=0)
    for alias in settings.CACHES:
        caches[alias].clear()
