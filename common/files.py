"""The uploaded files and the rows that point to them, compared."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from common.storage import is_partial

# A temporary file younger than this may be a write in progress.
PARTIAL_KEPT = datetime.timedelta(hours=1)


@dataclass
class FileReport:
    orphans: list[str] = field(default_factory=list)  # files no row points to
    missing: list[tuple[str, str]] = field(default_factory=list)  # (field, name) with no file
    stale_partials: list[str] = field(default_factory=list)  # left by a write that died
    partials_in_progress: int = 0


def file_fields() -> list[tuple[type[models.Model], models.FileField, str]]:
    """Every file field of every model, with its label ("app.Model.field")."""
    return [
        (model, model_field, f"{model._meta.label}.{model_field.name}")
        for model in apps.get_models()
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def stored_names() -> dict[str, str]:
    """Every name a file field of a model holds, with the field's label."""
    names = {}
    for model, model_field, label in file_fields():
        rows = model._default_manager.exclude(**{model_field.name: ""})
        names.update(dict.fromkeys(rows.values_list(model_field.name, flat=True), label))
    return names


def compare_files(now: float | None = None) -> FileReport:
    """Walk MEDIA_ROOT and the file fields of every model; change nothing."""
    media_root = Path(settings.MEDIA_ROOT)
    names, report = stored_names(), FileReport()
    on_disk = set()
    oldest_in_progress = (now or time.time()) - PARTIAL_KEPT.total_seconds()
    for path in sorted(media_root.rglob("*")) if media_root.exists() else []:
        if not path.is_file():
            continue
        name = path.relative_to(media_root).as_posix()
        if is_partial(name):
            if path.stat().st_mtime < oldest_in_progress:
                report.stale_partials.append(name)
            else:
                report.partials_in_progress += 1
            continue
        on_disk.add(name)
        if name not in names:
            report.orphans.append(name)
    report.missing = sorted((label, name) for name, label in names.items() if name not in on_disk)
    return report


def remove_files(names: list[str]) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    for name in names:
        (media_root / name).unlink(missing_ok=True)
