from __future__ import annotations

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from reports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "author", "status", "rows_done", "rows_total", "created_at"]
    list_filter = ["status"]
    list_select_related = ["author"]
    exclude = ["file"]
