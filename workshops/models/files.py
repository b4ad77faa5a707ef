"""The documents and photos of a workshop, kept privately under random names."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.uploads import EXTENSIONS, private_storage
from workshops.models.workshops import Workshop


def private_upload_path(instance, filename: str) -> str:
    """A random name: the uploaded name is neither trusted nor revealed."""
    extension = EXTENSIONS.get(getattr(instance, "content_type", ""), PurePath(filename).suffix)
    return f"workshops/{uuid.uuid4().hex}{extension}"


class WorkshopFile(models.Model):
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_path)
    content_type = models.CharField(max_length=40, editable=False)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]


class WorkshopDocument(WorkshopFile):
    """A document of the event, such as a positioning paper (PDF, JPEG or PNG)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)

    class Meta(WorkshopFile.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class WorkshopPhoto(WorkshopFile):
    """A photo of the event (JPEG or PNG) with its caption and credit."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=200)

    class Meta(WorkshopFile.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption
