"""Dated archives in the backup folder: their names, and which of them are kept."""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

from common import storage
from common.backups.archive import TEMPORARY_PREFIX

ARCHIVE_NAME = re.compile(r"^acrss-backup-(\d{8}-\d{6})\.tar(?:\.enc)?$")
# A temporary file of a backup older than this was left by a process that died.
STALE_AFTER = datetime.timedelta(hours=1)


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
