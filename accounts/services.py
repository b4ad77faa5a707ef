from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, roles_of
from audit.services import log_action


def set_preferred_language(user: User, *, language: str) -> None:
    """Remember the language a person chose, for the e-mails sent to them later."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


class RoleError(Exception):
    """A change of roles the rules refuse; the message is for the person who asked."""


@transaction.atomic
def set_roles(user: User, *, roles: list[str], partner_organisation=None, by) -> None:
    """Give a person exactly these roles; a partner speaks for its funding organisation."""
    from members.models import OrganisationKind, Representative

    before = sorted(roles_of(user))
    if Role.PARTNER in roles:
        if partner_organisation is None or partner_organisation.kind != OrganisationKind.PARTNER:
            raise RoleError(_("A partner account needs its funding organisation."))
        link = Representative.objects.filter(user=user).first()
        if link is not None and link.organisation != partner_organisation:
            raise RoleError(
                _("%(person)s already represents %(organisation)s.")
                % {"person": user, "organisation": link.organisation}
            )
        Representative.objects.get_or_create(user=user, organisation=partner_organisation)
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_acrss_roles", None)
    after = sorted(roles)
    if before != after:
        log_action(
            "roles.changed",
            actor=by,
            target=user,
            before=before,
            after=after,
            partner_organisation=getattr(partner_organisation, "pk", None),
        )
