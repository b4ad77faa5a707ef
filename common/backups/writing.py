"""Writing an archive: one snapshot of the database, the files it points to and
its manifest, sealed when there is a key, checked before it takes its name.

Consistency: the referenced files and the row counts are read from the very
snapshot that is dumped (a REPEATABLE READ transaction whose snapshot pg_dump
imports, or SQLite's online backup copy). Stored files are never changed in
place (new names, old ones deleted once their row is), so a referenced file can
only go missing if its row was deleted after the snapshot: the backup then
starts again from a new snapshot.

An archive is written under a temporary name beside its final one, read back
and checked against its manifest, flushed to disk, then renamed, readable by its
owner only (0600). Retention removes older archives only after that.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils._os import safe_makedirs

from common import storage
from common.backups.archive import (
    CHUNK,
    DATABASE_MEMBERS,
    FORMAT,
    MANIFEST,
    MEDIA,
    TEMPORARY_PREFIX,
    BackupError,
    HashingReader,
    Summary,
    verify_archive,
)
from common.backups.database import (
    LEFT_OUT,
    connect_postgres,
    count_rows,
    engine,
    postgres_environment,
    postgres_tool,
    referenced_files,
)
from common.sealing import SealingWriter

ATTEMPTS = 3


class _FilesChanged(Exception):
    """A referenced file was deleted, with its row, after the snapshot."""


def _still_referenced(name: str, label: str) -> bool:
    app_model, field_name = label.rsplit(".", 1)
    model = apps.get_model(app_model)
    return model._default_manager.filter(**{field_name: name}).exists()


# The snapshot -----------------------------------------------------------------------


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
    with connect_postgres(None) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with db.cursor() as cursor:
            tables, files = count_rows(cursor, "postgresql"), referenced_files(cursor)

        @contextlib.contextmanager
        def dump() -> Iterator:
            command = [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            with _temporary_file(folder) as copy, tempfile.TemporaryFile() as errors:
                process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                    [*command, f"--snapshot={snapshot_id}"],
                    env=postgres_environment(),
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


# The archive ------------------------------------------------------------------------


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
    reader = HashingReader(file)
    tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": size}


def write_backup(archive: Path, *, key: bytes | None) -> Summary:
    """Write one archive of the database and its files; retried from a new snapshot
    when a referenced file was deleted meanwhile."""
    engine()
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
    snapshot_of = _postgres_snapshot if engine() == "postgresql" else _sqlite_snapshot
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
