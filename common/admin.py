"""What every admin page of the portal's records shares."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from common.models import Job, OutgoingEmail, RateLimitCount, WorkerHeartbeat


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


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The e-mails owed: sent, being tried, or failed (the secretariat's page sends
    those again)."""

    list_display = ["kind", "to", "created_at", "tries", "sent_at", "failed_at"]
    list_filter = ["kind"]
    exclude = ["body", "html", "attachments"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """When each worker last said it was alive."""

    list_display = ["worker_id", "beat_at"]


# The tasks, listed once, as the portal's worker reads them (with their tries).
admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "status", "tries", "enqueued_at", "run_after", "finished_at")
