from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, roles_of
from audit.models import AuditAction
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
    if user == by and Role.SECRETARIAT in before and Role.SECRETARIAT not in roles:
        raise RoleError(
            _("You cannot take back your own secretariat role: ask another member of it.")
        )
    link = Representative.objects.filter(user=user).select_related("organisation").first()
    before_partner = link.organisation_id if link and Role.PARTNER in before else None
    if Role.PARTNER in roles:
        if partner_organisation is None or partner_organisation.kind != OrganisationKind.PARTNER:
            raise RoleError(_("A partner account needs its funding organisation."))
        if link is None:
            Representative.objects.create(user=user, organisation=partner_organisation)
        elif link.organisation != partner_organisation:
            if link.organisation.kind != OrganisationKind.PARTNER:
                raise RoleError(
                    _("%(person)s already represents %(organisation)s.")
                    % {"person": user, "organisation": link.organisation}
                )
            link.organisation = partner_organisation  # the partner moved to another funder
            link.save(update_fields=["organisation"])
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_acrss_roles", None)
    after = sorted(roles)
    after_partner = partner_organisation.pk if Role.PARTNER in roles else None
    if (before, before_partner) != (after, after_partner):
        log_action(
            AuditAction.ROLES_CHANGED,
            actor=by,
            target=user,
            before=before,
            after=after,
            partner_organisation_before=before_partner,
            partner_organisation_after=after_partner,
        )


class AccountError(Exception):
    """A change of account the rules refuse; the message is for the person who asked."""


@transaction.atomic
def set_account_active(user: User, *, active: bool, by) -> None:
    """Close an account (the person can no longer sign in, and no longer counts
    towards the committee's quorum) or open it again."""
    if user.is_active == active:
        return
    if user == by and not active:
        raise AccountError(_("You cannot close your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_action(
        AuditAction.ACCOUNT_REACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED,
        actor=by,
        target=user,
    )
