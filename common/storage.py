"""Files written whole or not at all, and the page a person sees when the disk is full.

Every file the portal keeps (documents, photos, typed sheets, exports) goes through
`AtomicFileSystemStorage`: its bytes are written under a temporary name in the
final folder, flushed to the disk, then linked under their final name. A write
that fails half-way (disk full, quota, input/output error) removes what it wrote
and raises: no truncated image or empty PDF is ever left under a name a row can
point to. `check_files` removes the temporary files a killed process left behind.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils._os import safe_makedirs

logger = logging.getLogger(__name__)

# Temporary files are named ".<random>.part" in the folder of the file being written.
PARTIAL_PREFIX = "."
PARTIAL_SUFFIX = ".part"
# The errors that mean "no room left": the disk, or the account's quota.
NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
# Seconds a 503 page asks the browser to wait before trying again.
RETRY_AFTER = 600


def is_partial(name: str) -> bool:
    """A temporary file of a write in progress (or of one that was killed)."""
    base = os.path.basename(name)
    return base.startswith(PARTIAL_PREFIX) and base.endswith(PARTIAL_SUFFIX)


def fsync_directory(directory: str | os.PathLike) -> None:
    """Make a rename or a new name in the folder survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_chunk(file, chunk: bytes) -> None:
    """One write; a seam where tests fill the disk half-way through a file."""
    file.write(chunk)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike, *, mode: int = 0o600, replace: bool = True, readable: bool = False
) -> Iterator:
    """A binary file open under a temporary name next to `path`, flushed and renamed
    to `path` when the block ends, removed if it raises.

    `mode` is set on the file whatever the umask. With `replace=False` an existing
    `path` is never overwritten: FileExistsError, and the temporary file goes.
    `readable` opens it for reading too, to check what was written before the rename.
    """
    path = Path(path)
    fd, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=PARTIAL_PREFIX + path.name + "-", suffix=PARTIAL_SUFFIX
    )
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w+b" if readable else "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            # A link fails if the name is taken, where a rename would overwrite it.
            os.link(temporary, path)
            os.unlink(temporary)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    fsync_directory(path.parent)


class AtomicFileSystemStorage(FileSystemStorage):
    """Django's file system storage, with files that appear whole or not at all.

    Modes come from FILE_UPLOAD_PERMISSIONS and FILE_UPLOAD_DIRECTORY_PERMISSIONS
    (the portal's own account only: the files name activists)."""

    def _save(self, name: str, content) -> str:
        # Django's own helper: every folder created gets the mode, not only the last.
        safe_makedirs(
            os.path.dirname(self.path(name)), self.directory_permissions_mode, exist_ok=True
        )
        while True:
            full_path = self.path(name)
            mode = self.file_permissions_mode
            try:
                with atomic_write(full_path, mode=mode, replace=False) as file:
                    for chunk in content.chunks():
                        write_chunk(file, chunk if isinstance(chunk, bytes) else chunk.encode())
            except FileExistsError:
                # Another request took the name between choosing and writing it.
                name = self.get_available_name(name)
                continue
            break
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in NO_SPACE


class DiskFullMiddleware:
    """A 503 page in the person's language when a file could not be written for want
    of space, rather than a 500: what they sent was not kept, and nothing else of
    the request was (the services' transactions have rolled back with the file)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_disk_full(exception):
            return None
        logger.error("Disk full on %s %s: %s", request.method, request.path, exception)
        response = render(
            request,
            "errors/disk_full.html",
            {"was_sending": request.method == "POST", "again_url": request.get_full_path()},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
