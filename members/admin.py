from django.contrib import admin

from members import services
from members.forms import OrganisationForm
from members.models import Application, Document, Organisation, Representative, Theme, Vote


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = [
        "name",
        "acronym",
        "kind",
        "region",
        "membership_status",
        "member_since",
        "ccsc_purn_member",
        "listed_in_directory",
    ]
    list_filter = [
        "membership_status",
        "kind",
        "region",
        "ccsc_purn_member",
        "listed_in_directory",
        "themes",
    ]
    search_fields = ["name", "acronym", "name_key", "registration_number"]
    # Membership moves only through recorded decisions, never by editing a field.
    readonly_fields = ["membership_status", "member_since", "created_at"]
    inlines = [RepresentativeInline]

    def save_model(self, request, obj, form, change) -> None:
        try:
            services.store_organisation(obj)
        except services.DuplicateOrganisation as error:
            # The form's own check passed, so someone saved the same name just now.
            self.message_user(request, str(error), level="error")


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    can_delete = False
    readonly_fields = ["voter", "choice", "comment", "cast_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__acronym"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "organisation",
        "status",
        "created_at",
        "submitted_at",
        "decided_at",
        "information_request",
        "decision_reason",
    ]
    inlines = [VoteInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "organisation", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "organisation__name"]
    list_select_related = ["organisation"]
    readonly_fields = [
        "organisation",
        "kind",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "since"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The fixed list of themes, kept by the code: read here, not edited."""

    list_display = ["code", "__str__"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Votes are on record: read here, changed only by their voter on the portal."""

    list_display = ["application", "voter", "choice", "cast_at"]
    list_filter = ["choice"]
    search_fields = ["application__organisation__name", "voter__email"]
    list_select_related = ["application__organisation", "voter"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
