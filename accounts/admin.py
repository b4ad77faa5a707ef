from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import UsedSecondFactorCode, User
from common.admin import ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts have no page of their own on the portal, so the admin may close
    or reopen one, through the service that audits it; nothing else changes
    here. People sign up on the portal and confirm their address there, roles
    change on the roles page, admins are made with `manage.py createsuperuser`,
    and a password is reset by its owner."""

    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "groups", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = [
        "email",
        "full_name",
        "language",
        "is_staff",
        "is_superuser",
        "groups",
        "last_login",
        "date_joined",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied

    def save_model(self, request, obj, form, change) -> None:
        stored = User.objects.get(pk=obj.pk)
        try:
            services.set_account_active(stored, active=obj.is_active, by=request.user)
        except services.AccountError as error:
            self.message_user(request, str(error), level="error")

    def save_related(self, request, form, formsets, change) -> None:
        """Only `is_active` is editable here, and the service has saved it."""


@admin.register(UsedSecondFactorCode)
class UsedSecondFactorCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Codes already accepted, kept only as long as they could be replayed."""

    list_display = ["user", "used_at"]
    date_hierarchy = "used_at"
