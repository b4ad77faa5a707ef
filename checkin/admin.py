from __future__ import annotations

from django.contrib import admin

from checkin.models import CertificateSettings, SelfCheckIn


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records changed only through the portal's pages, which audit them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SelfCheckIn)
class SelfCheckInAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "workshop", "day", "status", "matched_person", "created_at"]
    list_filter = ["status", "day"]
    search_fields = ["full_name", "phone", "workshop__title"]
    list_select_related = ["workshop", "matched_person"]


@admin.register(CertificateSettings)
class CertificateSettingsAdmin(ReadOnlyAdmin):
    list_display = ["workshop", "signatory_name", "signatory_function"]
    list_select_related = ["workshop"]
