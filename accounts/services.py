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
            "roles.changed",
            actor=by,
            target=user,
            before=before,
            after=after,
            partner_organisation_before=before_partner,
            partner_organisation_after=after_partner,
        )


# Sign-ins and second-factor changes, as written to the audit log. The entries
# carry account ids only: never the address someone typed.
SIGNED_IN = "account.signed_in"
SIGN_IN_FAILED = "account.sign_in_failed"
SIGNED_OUT = "account.signed_out"
SECOND_FACTOR_FAILED = "account.second_factor_failed"
SECOND_FACTOR_ADDED = "account.second_factor_added"
SECOND_FACTOR_REMOVED = "account.second_factor_removed"
SECOND_FACTOR_RESET = "account.second_factor_reset"
ACCOUNT_ACTIONS = (
    SIGNED_IN,
    SIGN_IN_FAILED,
    SIGNED_OUT,
    SECOND_FACTOR_FAILED,
    SECOND_FACTOR_ADDED,
    SECOND_FACTOR_REMOVED,
    SECOND_FACTOR_RESET,
)


def record_sign_in(user: User) -> None:
    log_action(SIGNED_IN, actor=user)


def record_failed_sign_in(login: str | None) -> None:
    """A wrong password (or unknown address): the account's id when there is one."""
    user = User.objects.filter(email__iexact=login).only("pk").first() if login else None
    log_action(SIGN_IN_FAILED, actor=None, account=user.pk if user else None)


def record_sign_out(user: User | None) -> None:
    if user is not None:
        log_action(SIGNED_OUT, actor=user)


def record_failed_second_factor(user: User) -> None:
    log_action(SECOND_FACTOR_FAILED, actor=None, account=user.pk)


def record_second_factor_change(user: User, *, action: str, kind: str) -> None:
    """TOTP or recovery codes added, removed or renewed."""
    log_action(action, actor=user, kind=kind)
