"""Backups that restore: one archive holds a consistent snapshot of the database
and exactly the uploaded files that snapshot points to.

The archive is a tar stream, sealed with ACRSS_BACKUP_KEY when it is set
(common/sealing.py): `media/…` (each referenced file), `database.dump`
(pg_dump's custom format, without owners or privileges, so that it restores
under any role) or `database.sqlite3`, and last `manifest.json`: the rows of
every table and the SHA-256 of every member.

Consistency: the referenced files and the row counts are read from the very
snapshot that is dumped (a REPEATABLE READ transaction whose snapshot pg_dump
imports, or SQLite's online backup copy). Stored files are never changed in
place (new names, old ones deleted once their row is), so a referenced file can
only go missing if its row was deleted after the snapshot: the backup then
starts again from a new snapshot.

Left out: typed sheets waiting for their preview and finished exports. They
live a day at most and name attendees (see the register of personal data); a
restore drops the rows that point to them (upload the sheet, ask for the export
again).

An archive is written under a temporary name beside its final one, read back
and checked against its manifest, flushed to disk, then renamed, readable by its
owner only (0600). Retention removes older archives only after that.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone
from django.utils._os import safe_makedirs

from common import files, storage
from common.sealing import OpeningReader, SealError, SealingWriter, is_sealed, parse_key

FORMAT = 2
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Files that name attendees and live a day at most (see common/personal_data.py).
LEFT_OUT = frozenset({"workshops.AttendanceImport.file", "reports.ExportJob.file"})
ARCHIVE_NAME = re.compile(r"^acrss-backup-(\d{8}-\d{6})\.tar(?:\.enc)?$")
TEMPORARY_PREFIX = ".acrss-backup-"
# A temporary file of a backup older than this was left by a process that died.
STALE_AFTER = datetime.timedelta(hours=1)
ATTEMPTS = 3
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


class _FilesChanged(Exception):
    """A referenced file was deleted, with its row, after the snapshot."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    size: int = 0
    missing: list[str] = field(default_factory=list)
    sealed: bool = False
    dropped: dict[str, int] = field(default_factory=dict)


def human_size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1e3))} KB"


def backup_key() -> bytes | None:
    text = getattr(settings, "ACRSS_BACKUP_KEY", None)
    return parse_key(text) if text else None


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


def _still_referenced(name: str, label: str) -> bool:
    app_model, field_name = label.rsplit(".", 1)
    model = apps.get_model(app_model)
    return model._default_manager.filter(**{field_name: name}).exists()


# PostgreSQL -------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups are made of PostgreSQL or SQLite, not {connection.vendor}.")
    return connection.vendor


def _postgres_environment(database: str | None = None) -> dict[str, str]:
    """libpq's variables for the configured server: no password on a command line."""
    configured = settings.DATABASES["default"]
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    environment = {**os.environ, "PGDATABASE": database or configured["NAME"]}
    environment.update(
        {pg: str(configured[key]) for key, pg in names.items() if configured.get(key)}
    )
    return environment


def _tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools).")
    return tool


def _run(command: list[str], *, database: str | None = None) -> None:
    # A fixed list of arguments, no shell; the database comes from the environment.
    result = subprocess.run(  # noqa: S603
        [_tool(command[0]), *command[1:]],
        env=_postgres_environment(database),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {' '.join(result.stderr.split())}")


def _postgres(database: str | None = None):
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


@dataclass
class Snapshot:
    tables: dict[str, int]
    files: dict[str, str]
    database_member: str
    # Opens the database's copy, as of the snapshot, as a binary file.
    open_database: Callable[[], contextlib.AbstractContextManager]


def _temporary_file(folder: Path):
    return tempfile.NamedTemporaryFile(dir=folder, prefix=TEMPORARY_PREFIX, suffix=".part")


@contextlib.contextmanager
def _postgres_snapshot(folder: Path) -> Iterator[Snapshot]:
    with _postgres(None) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with db.cursor() as cursor:
            tables, files = count_rows(cursor, "postgresql"), referenced_files(cursor)

        @contextlib.contextmanager
        def dump() -> Iterator:
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            with _temporary_file(folder) as copy, tempfile.TemporaryFile() as errors:
                process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                    [*command, f"--snapshot={snapshot_id}"],
                    env=_postgres_environment(),
                    stdout=subprocess.PIPE,
                    stderr=errors,
                )
                try:
                    while chunk := process.stdout.read(CHUNK):
                        storage.write_chunk(copy, chunk)
                except BaseException:
                    process.kill()
                    raise
                finally:
                    process.stdout.close()
                    process.wait()
                if process.returncode != 0:
                    errors.seek(0)
                    message = " ".join(errors.read().decode(errors="replace").split())
                    raise BackupError(f"pg_dump failed: {message}")
                copy.flush()
                copy.seek(0)
                yield copy

        try:
            yield Snapshot(tables, files, DATABASE_MEMBERS["postgresql"], dump)
        finally:
            db.execute("ROLLBACK")


@contextlib.contextmanager
def _sqlite_snapshot(folder: Path) -> Iterator[Snapshot]:
    with _temporary_file(folder) as copy:
        connection.ensure_connection()
        target = sqlite3.connect(copy.name)
        try:
            # SQLite's online backup: one consistent state of the whole database.
            connection.connection.backup(target)
            cursor = target.cursor()
            tables, files = count_rows(cursor, "sqlite"), referenced_files(cursor)
        except sqlite3.Error as error:
            raise BackupError(f"The database could not be copied: {error}.") from None
        finally:
            target.close()

        @contextlib.contextmanager
        def database() -> Iterator:
            with open(copy.name, "rb") as file:
                yield file

        yield Snapshot(tables, files, DATABASE_MEMBERS["sqlite"], database)


# Writing ----------------------------------------------------------------------------


class _HashingReader:
    def __init__(self, file) -> None:
        self._file, self.digest, self.size = file, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class _PlainSink:
    def __init__(self, file) -> None:
        self._file = file

    def write(self, data: bytes) -> int:
        storage.write_chunk(self._file, data)
        return len(data)

    def close(self) -> None:
        pass


def _add(tar: tarfile.TarFile, name: str, file, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    reader = _HashingReader(file)
    tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": size}


def write_backup(archive: Path, *, key: bytes | None) -> Summary:
    """Write one archive of the database and its files; retried from a new snapshot
    when a referenced file was deleted meanwhile."""
    _vendor()
    if archive.exists():
        raise BackupError(f"{archive} exists already: choose another name.")
    safe_makedirs(archive.parent, 0o700, exist_ok=True)
    for _attempt in range(ATTEMPTS):
        try:
            return _write_once(archive, key)
        except _FilesChanged:
            continue
    raise BackupError("Files kept changing during the backup: try again at a quieter time.")


def _write_once(archive: Path, key: bytes | None) -> Summary:
    media_root = Path(settings.MEDIA_ROOT)
    snapshot_of = _postgres_snapshot if _vendor() == "postgresql" else _sqlite_snapshot
    summary = Summary(sealed=key is not None)
    with storage.atomic_write(archive, mode=0o600, replace=False, readable=True) as out:
        sink = SealingWriter(out, key, write=storage.write_chunk) if key else _PlainSink(out)
        with snapshot_of(archive.parent) as snapshot, tarfile.open(fileobj=sink, mode="w|") as tar:
            members = {}
            for name, label in sorted(snapshot.files.items()):
                try:
                    file = (media_root / name).open("rb")
                except FileNotFoundError:
                    if _still_referenced(name, label):
                        summary.missing.append(name)
                        continue
                    raise _FilesChanged from None
                with file:
                    size = os.fstat(file.fileno()).st_size
                    members[f"{MEDIA}/{name}"] = _add(tar, f"{MEDIA}/{name}", file, size)
            with snapshot.open_database() as database:
                size = os.fstat(database.fileno()).st_size
                members[snapshot.database_member] = _add(
                    tar, snapshot.database_member, database, size
                )
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "engine": connection.vendor,
                "tables": snapshot.tables,
                "members": members,
                "missing": summary.missing,
                "left_out": sorted(LEFT_OUT),
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            _add(tar, MANIFEST, _BytesFile(data), len(data))
        sink.close()
        out.flush()
        os.fsync(out.fileno())
        out.seek(0)
        verify_archive(out, key)
    summary.tables, summary.rows = len(snapshot.tables), sum(snapshot.tables.values())
    summary.files = len(members) - 1
    summary.size = archive.stat().st_size
    return summary


class _BytesFile:
    def __init__(self, data: bytes) -> None:
        self._data, self._offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._offset + size
        part, self._offset = self._data[self._offset : end], min(end, len(self._data))
        return part


# Reading ----------------------------------------------------------------------------


def _plain_stream(file, key: bytes | None):
    head = file.read(8)
    file.seek(0)
    if not is_sealed(head):
        return file
    if key is None:
        raise BackupError(
            "This archive is sealed: set ACRSS_BACKUP_KEY to the key it was made with."
        )
    return OpeningReader(file, key)


def read_archive(file, key: bytes | None, handle: Callable[[str, object], None] | None = None):
    """Read every member once, in order, checking each against the manifest at the
    end; `handle(name, reader)` may consume a member as it passes. The manifest."""
    seen, manifest = {}, None
    try:
        with tarfile.open(fileobj=_plain_stream(file, key), mode="r|") as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not _safe_member(name):
                    raise BackupError(f"The archive holds an unexpected member: {name}.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest = json.loads(source.read())
                    continue
                reader = _HashingReader(source)
                if handle is not None:
                    handle(name, reader)
                while reader.read(CHUNK):
                    pass
                seen[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
    except SealError as error:
        raise BackupError(str(error)) from None
    except (tarfile.TarError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"The archive is damaged or cut short ({error}).") from None
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError("The archive has no manifest of this version: is it a backup of ours?")
    different = sorted(set(seen) ^ set(manifest["members"]))
    different += sorted(
        n for n in seen if n in manifest["members"] and seen[n] != manifest["members"][n]
    )
    if different:
        raise BackupError(
            f"{len(different)} members of the archive do not match its manifest: "
            + ", ".join(different[:5])
        )
    return manifest


def verify_archive(file, key: bytes | None) -> dict:
    return read_archive(file, key)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (name in (MANIFEST, *DATABASE_MEMBERS.values()) or path.parts[0] == MEDIA)
    )


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
    vendor = _vendor()
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
def _throwaway_database(engine: str, copy: Path) -> Iterator:
    if engine == "sqlite":
        db = sqlite3.connect(copy)
        try:
            yield db.cursor()
        finally:
            db.close()
        return
    if connection.vendor != "postgresql":
        raise BackupError("A PostgreSQL backup is checked on a PostgreSQL server (DATABASE_URL).")
    name = f"{settings.DATABASES['default']['NAME']}_check_{secrets.token_hex(4)}"
    with _postgres("postgres") as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={name}", str(copy)],
        )  # fmt: skip
        with _postgres(name) as db, db.cursor() as cursor:
            yield cursor
    finally:
        with _postgres("postgres") as server:
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


# Retention --------------------------------------------------------------------------


def archive_name(now: datetime.datetime, *, sealed: bool) -> str:
    return f"acrss-backup-{now:%Y%m%d-%H%M%S}.tar" + (".enc" if sealed else "")


def apply_retention(folder: Path, *, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Keep the newest archive of each of the last `keep_daily` days that have one,
    and of each of the last `keep_weekly` weeks; remove the other archives and the
    temporary files of backups that died. The removed paths."""
    dated = []
    for path in folder.iterdir():
        if match := ARCHIVE_NAME.match(path.name):
            dated.append((datetime.datetime.strptime(match[1], "%Y%m%d-%H%M%S"), path))
    dated.sort(reverse=True)
    kept, days, weeks = set(), [], []
    for when, path in dated:
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            days.append(day)
            kept.add(path)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.append(week)
            kept.add(path)
    removed = [path for _when, path in dated if path not in kept]
    stale = time.time() - STALE_AFTER.total_seconds()
    removed += [
        path
        for path in folder.iterdir()
        if path.name.startswith(TEMPORARY_PREFIX)
        and storage.is_partial(path.name)
        and path.stat().st_mtime < stale
    ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
