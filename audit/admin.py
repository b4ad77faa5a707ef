from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from common.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log is read-only, for everyone, admins included."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "target_type"]
    readonly_fields = ["on_what"]

    @admin.display(description=_("on what"))
    def on_what(self, entry: AuditEntry) -> str:
        """The object's name as it is now: the log itself keeps only its id."""
        target = entry.target
        return str(target) if target is not None else "—"
