"""Typed sign-in sheets on their way in, and the report of what each import did."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.uploads import private_storage
from workshops.models.choices import ImportStatus
from workshops.models.workshops import Workshop

SHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv", ".txt")


def import_upload_path(instance, filename: str) -> str:
    """A random name: the sheet holds names and phones, and is deleted once done."""
    suffix = PurePath(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in SHEET_SUFFIXES else ''}"


class AttendanceImportQuerySet(models.QuerySet):
    def stale(self, now: datetime.datetime) -> AttendanceImportQuerySet:
        """Sheets uploaded more than a day ago and never confirmed."""
        return self.filter(
            status=ImportStatus.PENDING, created_at__lt=now - datetime.timedelta(days=1)
        )


class AttendanceImport(models.Model):
    """A typed sign-in sheet on its way in: the file waits here while the
    secretariat checks the preview, and the report of what it did stays after."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(storage=private_storage, upload_to=import_upload_path, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    day = models.DateField(_("day this sheet records"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What the confirmed import did, row by row: names and remarks, never a phone or e-mail
    # beyond the raw value a remark is about.
    report = models.JSONField(default=dict, blank=True)
    # The reading as the secretariat corrected it on the preview (importing.Mapping).
    mapping = models.JSONField(default=dict, blank=True)

    objects = AttendanceImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="workshops_attendanceimport_status_known",
            )
        ]

    def __str__(self) -> str:
        return self.file_name


class ImportMappingQuerySet(models.QuerySet):
    def recall(self, header_keys: set[str]) -> dict[str, tuple[dict, str]]:
        """The columns and role last confirmed under each of these headers."""
        return {
            key: (columns, role)
            for key, columns, role in self.filter(header_key__in=header_keys).values_list(
                "header_key", "columns", "role"
            )
        }


class ImportMapping(models.Model):
    """How the columns under a header were read when a sheet with it was last confirmed:
    proposed again for the next sheet with the same header."""

    header_key = models.CharField(max_length=500)
    columns = models.JSONField(default=dict)  # column index -> field, as importing.Mapping
    role = models.CharField(max_length=20, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    objects = ImportMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("remembered import mapping")
        verbose_name_plural = _("remembered import mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["header_key"], name="workshops_importmapping_one_per_header"
            )
        ]

    def __str__(self) -> str:
        return self.header_key[:60]
