from __future__ import annotations

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from workshops import models
from workshops.models import (
    Attendance,
    AttendanceImport,
    ImportMapping,
    Outcome,
    Person,
    Presence,
    Project,
    Workshop,
    WorkshopDocument,
    WorkshopPhoto,
)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects, their funders and targets are set up here: no page of the
    portal and no service writes them. Reports count them: the database's triggers
    raise the versions of their workshops (see workshops/summaries/)."""

    list_display = ["name", "start_date", "end_date"]
    filter_horizontal = ["funders"]


class OutcomeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "city", "status", "is_public"]
    list_filter = ["status", "kind", "is_public", "region"]
    search_fields = ["title", "city", "venue"]
    date_hierarchy = "start_date"
    filter_horizontal = ["funders"]
    inlines = [OutcomeInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["full_name", "sex", "birth_year", "organisation", "region"]
    list_filter = ["sex", "region"]
    search_fields = ["full_name", "name_key", "phone", "email"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "workshop", "role"]
    list_filter = ["role"]
    list_select_related = ["person", "workshop"]
    raw_id_fields = ["person", "workshop"]


@admin.register(WorkshopDocument)
class WorkshopDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "workshop", "is_public", "content_type"]


@admin.register(WorkshopPhoto)
class WorkshopPhotoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["caption", "workshop", "credit", "is_public", "content_type"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["text", "workshop", "kind", "horizon", "responsible", "status", "due_date"]
    list_filter = ["kind", "horizon", "status"]
    search_fields = ["text", "responsible", "workshop__title"]
    list_select_related = ["workshop"]
    raw_id_fields = ["workshop"]


@admin.register(Presence)
class PresenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["attendance", "day"]
    list_filter = ["day"]
    search_fields = ["attendance__person__full_name", "attendance__workshop__title"]
    list_select_related = ["attendance__person", "attendance__workshop"]
    raw_id_fields = ["attendance"]


@admin.register(AttendanceImport)
class AttendanceImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A record of what an import did: read, never edited."""

    list_display = ["file_name", "workshop", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["workshop"]


@admin.register(ImportMapping)
class ImportMappingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """How a header was last read: changed only by confirming an import (audited)."""

    list_display = ["header_key", "role", "confirmed_by", "confirmed_at"]
    list_select_related = ["confirmed_by"]


# The figures the database's triggers keep (workshops/summaries/): shown, never written.
for _model in (
    models.SummaryState,
    models.AttendanceFact,
    models.ScopePerson,
    models.WorkshopSummary,
    models.ScopeSummary,
    models.WorkshopDay,
    models.WorkshopOrganisation,
    models.ScopeOrganisation,
):
    admin.site.register(
        _model, type(f"{_model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {})
    )
