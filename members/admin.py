from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect

from common.admin import ReadOnlyAdminMixin
from members import services
from members.forms import OrganisationForm
from members.models import Application, Document, Organisation, Representative, Theme, Vote


class RepresentativeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Representatives join by invitation; a partner's link is set on the roles page."""

    model = Representative
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The admin registers an organisation (a new funder, say) or corrects one
    through the same services as the portal, which check duplicates, keep the
    matching keys and write the audit log."""

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
        themes = form.cleaned_data["themes"]
        try:
            if change:
                services.update_organisation(
                    obj, by=request.user, themes=themes, **form.service_fields()
                )
            else:
                obj.pk = services.register_organisation(
                    by=request.user, themes=themes, **form.service_fields()
                ).pk
        except services.MembershipError as error:
            self.message_user(request, str(error), level="error")

    def get_actions(self, request):
        # One organisation at a time, from its page, after the list of what goes with it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        """What goes with the organisation, listed on its confirmation page: the
        service deletes it, whatever the admin may delete of each kind alone."""
        deleted, counts, _permissions_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        """Through the service: the documents' files go with the organisation, the
        audit log records it and the visitors' directory forgets it at once."""
        try:
            services.delete_organisation(obj, by=request.user)
        except services.MembershipError as error:
            # The admin's own record of the deletion is undone with it.
            transaction.set_rollback(True)
            self.message_user(request, str(error), level=messages.ERROR)

    def response_delete(self, request, obj_display, obj_id):
        if Organisation.objects.filter(pk=obj_id).exists():  # refused
            return redirect("admin:members_organisation_change", obj_id)
        return super().response_delete(request, obj_display, obj_id)

    def save_related(self, request, form, formsets, change) -> None:
        """The service has set the themes; the representatives, read-only here,
        go through the motions so that the admin's own log can read them."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class VoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Vote
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__acronym"]
    list_select_related = ["organisation"]
    inlines = [VoteInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "organisation", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "since"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The fixed list of themes, kept by the code."""

    list_display = ["code", "__str__"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Votes are on record, changed only by their voter on the portal."""

    list_display = ["application", "voter", "choice", "cast_at"]
    list_filter = ["choice"]
    search_fields = ["application__organisation__name", "voter__email"]
    list_select_related = ["application__organisation", "voter"]
