"""The archive's members and manifest, the key it is sealed with, and reading it
back: every member once, in order, checked against the manifest."""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings

from common.sealing import OpeningReader, SealError, is_sealed, parse_key

FORMAT = 2
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# The temporary files of a backup in its folder (a dated archive being written, the
# database's copy) begin so; retention removes those a dead process left.
TEMPORARY_PREFIX = ".acrss-backup-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why."""


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


class HashingReader:
    def __init__(self, file) -> None:
        self._file, self.digest, self.size = file, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


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
                reader = HashingReader(source)
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
