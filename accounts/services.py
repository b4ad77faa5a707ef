from __future__ import annotations

from accounts.models import User


def set_preferred_language(user: User, *, language: str) -> None:
    """Remember the language a person chose, for the e-mails sent to them later."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
