"""Restoring an archive: into the configured database, which must be empty, and
MEDIA_ROOT; or, for `restore --check`, into a throwaway database and folder
whose every table and file is compared with the manifest, then dropped."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils._os import safe_makedirs

from common import storage
from common.backups.archive import (
    CHUNK,
    DATABASE_MEMBERS,
    MEDIA,
    BackupError,
    Summary,
    read_archive,
    verify_archive,
)
from common.backups.database import (
    connect_postgres,
    count_rows,
    engine,
    file_fields,
    referenced_files,
    run_postgres_tool,
)
from common.sealing import is_sealed


def _extract_into(media_root: Path, database: Path) -> Callable[[str, object], None]:
    """A handler that writes the database's copy to `database` and each file under
    `media_root`, each written whole or not at all."""

    def handle(name: str, reader) -> None:
        if name in DATABASE_MEMBERS.values():
            target = database
        else:
            target = media_root / PurePosixPath(name).relative_to(MEDIA)
            safe_makedirs(target.parent, 0o700, exist_ok=True)
        with storage.atomic_write(target, mode=0o600) as out:
            while chunk := reader.read(CHUNK):
                storage.write_chunk(out, chunk)

    return handle


# Restoring --------------------------------------------------------------------------


def restore_backup(archive: Path, *, key: bytes | None) -> Summary:
    """Load an archive into the configured database, which must be empty, and put
    its files back under MEDIA_ROOT; the archive is checked whole before."""
    vendor = engine()
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {settings.DATABASES['default']['NAME']} is not empty: "
            "restore into a new, empty database."
        )
    with archive.open("rb") as file:
        manifest = verify_archive(file, key)
    if manifest["engine"] != vendor:
        raise BackupError(f"This is a backup of {manifest['engine']}, not of {vendor}.")
    media_root = Path(settings.MEDIA_ROOT)
    safe_makedirs(media_root, 0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="acrss-restore-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        with archive.open("rb") as file:
            read_archive(file, key, _extract_into(media_root, dump))
        if vendor == "postgresql":
            run_postgres_tool(
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
        else:
            connection.close()
            with (
                dump.open("rb") as source,
                storage.atomic_write(settings.DATABASES["default"]["NAME"], mode=0o600) as target,
            ):
                shutil.copyfileobj(source, target, CHUNK)
    summary = Summary(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["members"]) - 1,
        missing=manifest["missing"],
        dropped=_drop_left_out_rows(),
    )
    _clear_caches()
    connection.close()
    return summary


def _drop_left_out_rows() -> dict[str, int]:
    """The rows whose file is not in backups: a sheet to upload again, an export
    to ask for again."""
    dropped = {}
    for model, model_field, _label in file_fields(left_out=True):
        rows = model._default_manager.exclude(**{model_field.name: ""})
        count = rows.count()
        if count:
            rows.delete()
            dropped[model._meta.label] = count
    return dropped


def _clear_caches() -> None:
    """Empty every configured cache: nothing kept from another state of the data
    (pages, parts of pages, figures, roles) is read again. The database cache's
    table comes back from the archive as it was then, or is missing when the
    archive was made with Redis: it is created when missing, then emptied."""
    call_command("createcachetable", verbosity=0)
    for alias in settings.CACHES:
        caches[alias].clear()


# Checking a restore -----------------------------------------------------------------


@dataclass
class Check:
    """What a trial restore found, figure by figure."""

    engine: str
    created: str
    sealed: bool
    tables: int = 0
    tables_matching: int = 0
    rows: int = 0
    files: int = 0
    files_matching: int = 0
    size: int = 0
    referenced: int = 0
    referenced_present: int = 0
    problems: list[str] = field(default_factory=list)


def check_archive(archive: Path, *, key: bytes | None) -> Check:
    """Restore the archive into a throwaway database and folder, compare every
    table's rows and every file's checksum with the manifest, and drop both."""
    with tempfile.TemporaryDirectory(prefix="acrss-check-") as work:
        media_root, database = Path(work) / MEDIA, Path(work) / "database"
        with archive.open("rb") as file:
            sealed = is_sealed(file.read(8))
            file.seek(0)
            manifest = read_archive(file, key, _extract_into(media_root, database))
        check = Check(manifest["engine"], manifest["created"], sealed)
        with _throwaway_database(manifest["engine"], database) as cursor:
            restored = count_rows(cursor, manifest["engine"])
            referenced = referenced_files(cursor)
        _compare_tables(check, manifest["tables"], restored)
        _compare_files(check, manifest, media_root, referenced)
    return check


@contextlib.contextmanager
def _throwaway_database(vendor: str, copy: Path) -> Iterator:
    if vendor == "sqlite":
        db = sqlite3.connect(copy)
        try:
            yield db.cursor()
        finally:
            db.close()
        return
    if connection.vendor != "postgresql":
        raise BackupError("A PostgreSQL backup is checked on a PostgreSQL server (DATABASE_URL).")
    name = f"{settings.DATABASES['default']['NAME']}_check_{secrets.token_hex(4)}"
    with connect_postgres("postgres") as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        run_postgres_tool(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={name}", str(copy)],
        )  # fmt: skip
        with connect_postgres(name) as db, db.cursor() as cursor:
            yield cursor
    finally:
        with connect_postgres("postgres") as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _compare_tables(check: Check, expected: dict[str, int], restored: dict[str, int]) -> None:
    check.tables, check.rows = len(expected), sum(expected.values())
    for table in sorted(set(expected) | set(restored)):
        if expected.get(table) == restored.get(table):
            check.tables_matching += 1
        else:
            check.problems.append(
                f"table {table}: {restored.get(table, 'missing')} rows restored, "
                f"{expected.get(table, 'none')} in the manifest"
            )


def _compare_files(check: Check, manifest: dict, media_root: Path, referenced: dict) -> None:
    files = {n: m for n, m in manifest["members"].items() if n.startswith(f"{MEDIA}/")}
    check.files, check.size = len(files), sum(m["size"] for m in files.values())
    for name, expected in sorted(files.items()):
        path = media_root / PurePosixPath(name).relative_to(MEDIA)
        if path.is_file() and _sha256(path) == expected["sha256"]:
            check.files_matching += 1
        else:
            check.problems.append(f"file {name}: missing or different after the restore")
    check.referenced = len(referenced)
    for name in sorted(referenced):
        if f"{MEDIA}/{name}" in files:
            check.referenced_present += 1
        elif name not in manifest["missing"]:
            check.problems.append(f"file {name}: referenced by the database, not in the archive")
    for name in manifest["missing"]:
        check.problems.append(f"file {name}: already missing when the backup was made")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
