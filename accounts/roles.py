"""The portal's roles: Django groups with named permissions.

Admins are superusers, and hold every permission. Everything that asks "may
this person …?" asks `user.has_perm(...)` for one of the permissions below,
so the admin, the views and the tests read the same rules from this one
table. The groups and their permissions are kept as written here after
every `migrate` (and every database flush in tests), like Django's own
permissions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.access import access_of


class Role(models.TextChoices):
    COMMITTEE = "committee", _("Steering committee")
    SECRETARIAT = "secretariat", _("Secretariat")
    PARTNER = "partner", _("Partner")


# The permissions each role holds, as "app_label.codename".
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COMMITTEE: [
        "members.view_application",
        "members.decide_application",
        "members.view_organisation",
        "members.view_document",
    ],
    Role.SECRETARIAT: [
        "members.view_application",
        "members.view_organisation",
        "members.view_document",
        "workshops.manage_workshop",
        "workshops.view_attendance_report",
        "workshops.view_all_attendance_reports",
        "workshops.export_person",
        "workshops.erase_person",
        "accounts.assign_roles",
        "common.resend_email",
    ],
    # Scoped to the workshops the partner's own organisation funds.
    Role.PARTNER: [
        "workshops.view_attendance_report",
    ],
}

# Held by no role, so only by admins: an organisation's draft that nobody has sent.
ADMIN_ONLY_PERMISSIONS = ["members.view_draft_organisation"]


def ensure_roles(**kwargs) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        if names:
            wanted = Q()
            for name in names:
                app_label, codename = name.split(".")
                wanted |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.set(Permission.objects.filter(wanted))
        else:
            group.permissions.clear()


ASSIGN_ROLES = "accounts.assign_roles"


def require_role_assigner(user) -> None:
    """The roles page exists only for those who give roles (404 for anyone else)."""
    if not user.has_perm(ASSIGN_ROLES):
        raise Http404


RESEND_EMAILS = "common.resend_email"


def require_email_resender(user) -> None:
    """The e-mails not sent exist only for those who may send them again (404 otherwise)."""
    if not user.has_perm(RESEND_EMAILS):
        raise Http404


def roles_of(user) -> set[str]:
    """The role names of a user."""
    if not user.is_authenticated:
        return set()
    return set(access_of(user)["roles"])


def has_second_factor(user) -> bool:
    return user.is_authenticated and access_of(user)["second_factor"]


def holders_of(role: Role):
    """The active accounts that hold a role (an admin holds none by being one)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role, is_active=True)
