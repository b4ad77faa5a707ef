"""The portal's roles: Django groups with named permissions.

Admins are superusers. Everything that asks "may this person …?" goes
through the permissions of these groups, so the admin and the tests see the
same rules. The groups and their permissions are kept as written here after
every `migrate` (and every database flush in tests), like Django's own
permissions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    ],
    Role.PARTNER: [],
}


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
            group.permissions.add(*Permission.objects.filter(wanted))


# How long a person's roles and second-factor state stay in the shared cache.
# Every change made through the portal forgets them at once; the limit only
# bounds a change made some other way (a shell, a restored backup).
ACCESS_SECONDS = 300


def _access_key(user_id: int) -> str:
    return f"access:{user_id}"


def access_of(user) -> dict:
    """A signed-in person's role names and whether they have a second factor.

    Every request of a signed-in person asks both: read from the shared cache,
    they cost no query; kept on the user for the rest of the request.
    """
    if not hasattr(user, "_acrss_access"):
        from allauth.mfa.models import Authenticator
        from django.core.cache import cache

        key = _access_key(user.pk)
        access = cache.get(key)
        if access is None:
            access = {
                "roles": sorted(user.groups.values_list("name", flat=True)),
                "second_factor": Authenticator.objects.filter(user_id=user.pk).exists(),
            }
            cache.set(key, access, ACCESS_SECONDS)
        user._acrss_access = access
    return user._acrss_access


def forget_access(user) -> None:
    """After a change of roles or of second factor: the next request reads them anew."""
    from django.core.cache import cache
    from django.db import transaction

    user.__dict__.pop("_acrss_access", None)
    cache.delete(_access_key(user.pk))
    # A request that read the old state before the change commits may store it
    # again: forget once more when the change is committed.
    transaction.on_commit(lambda: cache.delete(_access_key(user.pk)))


def roles_of(user) -> set[str]:
    """The role names of a user."""
    if not user.is_authenticated:
        return set()
    return set(access_of(user)["roles"])


def has_second_factor(user) -> bool:
    return user.is_authenticated and access_of(user)["second_factor"]


def has_role(user, role: Role) -> bool:
    return user.is_authenticated and (user.is_superuser or role.value in roles_of(user))


def holders_of(role: Role):
    """The active accounts that hold a role (an admin holds none by being one)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=role, is_active=True)
