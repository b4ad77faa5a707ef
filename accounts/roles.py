"""The portal's roles: Django groups, created by a data migration.

Admins are superusers. Everything that asks "may this person …?" goes
through the permissions of these groups, so the admin and the tests see the
same rules.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMITTEE = "committee", _("Steering committee")
    SECRETARIAT = "secretariat", _("Secretariat")
    PARTNER = "partner", _("Partner")


def roles_of(user) -> set[str]:
    """The role names of a user, read once per request and kept on the user."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_acrss_roles"):
        user._acrss_roles = set(user.groups.values_list("name", flat=True))
    return user._acrss_roles


def has_role(user, role: Role) -> bool:
    return user.is_authenticated and (user.is_superuser or role.value in roles_of(user))
