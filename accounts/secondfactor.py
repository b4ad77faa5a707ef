"""TOTP codes already used, recorded in the database rather than in the cache.

allauth remembers a used code with `cache.add`, which a restart or a flush of
Redis forgets: a code seen by an onlooker would then be accepted again within
its validity. allauth offers no hook for it, so `AccountsConfig.ready` puts
`mark_code_used` in place of its `TOTP._mark_code_used`; the tests replay a code
across a flush of the cache to prove the replacement holds.
"""

from __future__ import annotations

import datetime

from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import UsedSecondFactorCode


def validity() -> datetime.timedelta:
    """How long a code may be accepted: every counter of the tolerance window."""
    return datetime.timedelta(
        seconds=app_settings.TOTP_PERIOD * (2 * app_settings.TOTP_TOLERANCE + 1)
    )


def mark_code_used(totp: TOTP, code: str) -> bool:
    """Record the code as used for its account; False when it already was."""
    now = timezone.now()
    user_id = totp.instance.user_id
    with transaction.atomic():
        UsedSecondFactorCode.objects.filter(user_id=user_id, used_at__lt=now - validity()).delete()
        try:
            with transaction.atomic():
                UsedSecondFactorCode.objects.create(
                    user_id=user_id, code=normalize_user_code(code), used_at=now
                )
        except IntegrityError:
            return False
    return True


def install() -> None:
    TOTP._mark_code_used = mark_code_used
