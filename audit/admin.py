from __future__ import annotations

from django.contrib import admin

from audit.models import AuditEntry
from common.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log is read-only, for everyone, admins included."""

    list_display = ["at", "actor", "action", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
