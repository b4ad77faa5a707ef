"""The e-mails about an account itself, each in its owner's language."""

from __future__ import annotations

from common.mail import send_to_users


def send_sign_in_failures(user, failures: int) -> None:
    """To the owner: many wrong passwords were typed for their account."""
    send_to_users([user], "sign_in_failures", {"failures": failures})
