from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import forget_access
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditAction
from audit.services import log_action
from common.models import OutgoingEmail
from common.tasks import deliver_email


def set_preferred_language(user: User, *, language: str) -> None:
    """Remember the language a person chose, for the e-mails sent to them later."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


class RoleError(Exception):
    """A change of roles the rules refuse; the message is for the person who asked."""


@transaction.atomic
def set_roles(user: User, *, roles: list[str], partner_organisation=None, by) -> None:
    """Give a person exactly these roles; a partner reads for its funding organisation."""
    before = sorted(user.groups.values_list("name", flat=True))
    if user == by and Role.SECRETARIAT in before and Role.SECRETARIAT not in roles:
        raise RoleError(
            _("You cannot take back your own secretariat role: ask another member of it.")
        )
    before_partner = user.partner_organisation_id if Role.PARTNER in before else None
    if Role.PARTNER in roles:
        if partner_organisation is None or not partner_organisation.is_partner:
            raise RoleError(_("A partner account needs its funding organisation."))
        # Partner staff read reports; they never speak for an organisation.
        if (link := getattr(user, "representation", None)) is not None:
            raise RoleError(
                _("%(person)s already represents %(organisation)s.")
                % {"person": user, "organisation": link.organisation}
            )
    else:
        partner_organisation = None
    if user.partner_organisation != partner_organisation:
        user.partner_organisation = partner_organisation
        user.save(update_fields=["partner_organisation"])
    user.groups.set(Group.objects.filter(name__in=roles))
    forget_access(user)
    after = sorted(roles)
    after_partner = partner_organisation.pk if partner_organisation else None
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


# Sign-ins and second-factor changes are audited with account ids only: never
# the address someone typed.


def record_sign_in(user: User) -> None:
    log_action(AuditAction.SIGNED_IN, actor=user)


def record_failed_sign_in(login: str | None) -> None:
    """A wrong password (or unknown address): the account's id when there is one."""
    user = User.objects.filter(email__iexact=login).only("pk").first() if login else None
    log_action(AuditAction.SIGN_IN_FAILED, actor=None, account=user.pk if user else None)


def record_sign_out(user: User | None) -> None:
    if user is not None:
        log_action(AuditAction.SIGNED_OUT, actor=user)


def record_failed_second_factor(user: User) -> None:
    log_action(AuditAction.SECOND_FACTOR_FAILED, actor=None, account=user.pk)


def record_second_factor_change(user: User, *, action: AuditAction, kind: str) -> None:
    """TOTP or recovery codes added, removed or renewed."""
    log_action(action, actor=user, kind=kind)


class MailError(Exception):
    """A request about an owed e-mail that cannot be granted, with a readable reason."""


def send_email_again(email: OutgoingEmail, *, by) -> None:
    """Try a failed e-mail again, with as many tries as a new one (audited)."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.sent_at is not None:
            raise MailError(_("This e-mail has been sent already."))
        if email.failed_at is None:
            raise MailError(_("This e-mail is being sent already."))
        email.failed_at = None
        email.save(update_fields=["failed_at"])
        log_action(AuditAction.EMAIL_SENT_AGAIN, actor=by, target=email, kind=email.kind)
        deliver_email.enqueue(email.pk)
