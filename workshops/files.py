"""The kinds of file a workshop keeps: each kind says once which model stores
it, which form takes it, what it accepts and how its changes are audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from workshops.forms import DocumentForm, PhotoForm, UploadForm
from workshops.models import WorkshopDocument, WorkshopFile, WorkshopPhoto


@dataclass(frozen=True)
class FileKind:
    name: str  # the word in the URLs
    model: type[WorkshopFile]
    form: type[UploadForm]
    label_field: str  # what names one file: in the audit log and as download name
    add_title: Promise
    accepted: Promise
    images_only: bool
    added_action: AuditAction
    deleted_action: AuditAction


FILE_KINDS: dict[str, FileKind] = {
    "documents": FileKind(
        name="documents",
        model=WorkshopDocument,
        form=DocumentForm,
        label_field="title",
        add_title=_("Add a document"),
        accepted=_("PDF, JPEG or PNG, 5 MB at most."),
        images_only=False,
        added_action=AuditAction.WORKSHOP_DOCUMENT_ADDED,
        deleted_action=AuditAction.WORKSHOP_DOCUMENT_DELETED,
    ),
    "photos": FileKind(
        name="photos",
        model=WorkshopPhoto,
        form=PhotoForm,
        label_field="caption",
        add_title=_("Add a photo"),
        accepted=_("JPEG or PNG, 5 MB at most."),
        images_only=True,
        added_action=AuditAction.WORKSHOP_PHOTO_ADDED,
        deleted_action=AuditAction.WORKSHOP_PHOTO_DELETED,
    ),
}


def kind_of(item: WorkshopFile) -> FileKind:
    return next(kind for kind in FILE_KINDS.values() if isinstance(item, kind.model))
