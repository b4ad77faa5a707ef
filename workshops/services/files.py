"""A workshop's documents and photos, kept and deleted."""

from __future__ import annotations

from django.db import transaction

from audit.services import log_action
from workshops.files import FILE_KINDS, kind_of
from workshops.models import Workshop, WorkshopFile


def add_file(workshop: Workshop, *, kind: str, by, file, content_type: str, **fields):
    """Keep a document or photo of the workshop, stored under a name of its own."""
    file_kind = FILE_KINDS[kind]
    with transaction.atomic():
        item = file_kind.model(
            workshop=workshop, content_type=content_type, uploaded_by=by, **fields
        )
        item.file.save(file_kind.name, file, save=False)
        item.save()
        label = getattr(item, file_kind.label_field)
        log_action(
            file_kind.added_action, actor=by, target=workshop, **{file_kind.label_field: label}
        )
    return item


def delete_file(item: WorkshopFile, *, by) -> None:
    with transaction.atomic():
        log_action(kind_of(item).deleted_action, actor=by, target=item.workshop)
        item.delete()
        transaction.on_commit(lambda: item.file.delete(save=False))
