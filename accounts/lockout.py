"""Failed log-ins: limited per account and address, slowed per account, never a lock
that someone elsewhere can put on the account's owner.

allauth counts failures per address (`login_failed`, "10/m/ip") and, here, per
account *and* address (its "key"), so wrong passwords typed somewhere else never
refuse the owner. Failures from every address together only slow the account:
past a threshold in the hour, each address gets one try every few minutes, the
owner is told by e-mail (once a day), and the audit log records it.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from accounts import emails
from accounts.models import User
from audit.models import AuditAction
from audit.services import log_action
from common.ratelimit import allow, client_address, count_event, counted

# Failures on one account, from any address, in an hour before its log-ins are slowed.
FAILURES_BEFORE_SLOWING = 10
FAILURES_WINDOW = 3600
# Once slowed, the tries each address gets on the account.
SLOWED_TRIES = 1
SLOWED_WINDOW = 300
# The owner hears of it at most once in this time.
TOLD_WINDOW = 24 * 3600


def attempt_key(request: HttpRequest, login: str) -> str:
    """What allauth counts failures under: the account and the address together."""
    return f"{login.strip().lower()}|{client_address(request)}"


def _account(login: str) -> User | None:
    return User.objects.filter(email__iexact=login.strip()).only("pk").first() if login else None


def is_slowed(login: str) -> bool:
    return (
        counted("sign-in-failures", login.strip().lower(), window=FAILURES_WINDOW)
        >= FAILURES_BEFORE_SLOWING
    )


def allow_slowed_try(request: HttpRequest, login: str) -> bool:
    """While the account is slowed, count this address's try; False past its share."""
    if not is_slowed(login):
        return True
    return allow(
        "sign-in-slowed-tries",
        attempt_key(request, login),
        limit=SLOWED_TRIES,
        window=SLOWED_WINDOW,
    )


def record_lock(request: HttpRequest, login: str, *, scope: str) -> None:
    """Audit a refusal once per lock (not once per refused try)."""
    if allow("sign-in-lock-audited", f"{scope}|{attempt_key(request, login)}", limit=1, window=300):
        user = _account(login)
        log_action(
            AuditAction.SIGN_IN_LOCKED,
            actor=None,
            target=user,
            account=user.pk if user else None,
            scope=scope,
        )


def record_failure(request: HttpRequest, login: str) -> None:
    """Count a wrong password against the account; at the threshold, audit the
    slowing and tell the owner (once a day)."""
    login = login.strip().lower()
    if not login:
        return
    failures = count_event("sign-in-failures", login, window=FAILURES_WINDOW)
    if failures != FAILURES_BEFORE_SLOWING:
        return
    user = _account(login)
    if user is None:
        return
    with transaction.atomic():
        log_action(AuditAction.SIGN_IN_SLOWED, actor=None, target=user, failures=failures)
        if allow("sign-in-failures-told", str(user.pk), limit=1, window=TOLD_WINDOW):
            emails.send_sign_in_failures(user, failures)
