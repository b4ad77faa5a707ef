"""What allauth and Django announce about sign-ins, written to the audit log."""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals

from accounts import services
from accounts.access import forget_access
from accounts.middleware import start_session_clock
from audit.models import AuditAction


def signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_session_clock(request, user)
    services.record_sign_in(user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # allauth authenticates with the e-mail address as `email` or `username`.
    login = credentials.get("email") or credentials.get("username")
    services.record_failed_sign_in(login)


def signed_out(sender, request, user, **kwargs) -> None:
    services.record_sign_out(user)


def second_factor_failed(sender, request, user, authenticator, **kwargs) -> None:
    services.record_failed_second_factor(user)


def second_factor_changed(action: str):
    def receiver(sender, request, user, authenticator, **kwargs) -> None:
        forget_access(user)
        services.record_second_factor_change(user, action=action, kind=authenticator.type)

    return receiver


RECEIVERS = [
    (auth_signals.user_logged_in, signed_in),
    (auth_signals.user_login_failed, sign_in_failed),
    (auth_signals.user_logged_out, signed_out),
    (mfa_signals.authentication_failed, second_factor_failed),
    (mfa_signals.authenticator_added, second_factor_changed(AuditAction.SECOND_FACTOR_ADDED)),
    (mfa_signals.authenticator_removed, second_factor_changed(AuditAction.SECOND_FACTOR_REMOVED)),
    (mfa_signals.authenticator_reset, second_factor_changed(AuditAction.SECOND_FACTOR_RESET)),
]


def account_changed(sender, instance, **kwargs) -> None:
    forget_access(instance)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from accounts.models import User

    # The signed-in account is kept in the cache: any change to it, from any
    # form of the portal or of allauth (a new password above all), forgets it.
    post_save.connect(account_changed, sender=User, dispatch_uid="accounts.access.saved")
    post_delete.connect(account_changed, sender=User, dispatch_uid="accounts.access.deleted")
    for number, (signal, receiver) in enumerate(RECEIVERS):
        signal.connect(receiver, weak=False, dispatch_uid=f"accounts.audit.{number}")
