"""What every admin page of the portal's records shares."""

from __future__ import annotations

from django.contrib import admin

from common.models import RateLimitCount


class ReadOnlyAdminMixin:
    """Shown in the admin, changed only by the portal's services.

    A service keeps what an edit here would skip: the matching keys, the
    clean-up that follows a change, the rules of the workflow and the audit
    entry. For a `ModelAdmin` or an inline alike.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RateLimitCount)
class RateLimitCountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The windows of limits counted in the database, until they end."""

    list_display = ["key", "count", "expires_at"]
