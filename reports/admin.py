from __future__ import annotations

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from reports.models import (
    AttendanceFact,
    ExportJob,
    ScopeOrganisation,
    ScopePerson,
    ScopeSummary,
    SummaryState,
    WorkshopDay,
    WorkshopOrganisation,
    WorkshopSummary,
)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "author", "status", "rows_done", "rows_total", "created_at"]
    list_filter = ["status"]
    list_select_related = ["author"]
    exclude = ["file"]


# The summaries the database's triggers keep (reports/summaries.py): shown, never written.
for _model in (
    SummaryState,
    AttendanceFact,
    ScopePerson,
    WorkshopSummary,
    ScopeSummary,
    WorkshopDay,
    WorkshopOrganisation,
    ScopeOrganisation,
):
    admin.site.register(
        _model, type(f"{_model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {})
    )
