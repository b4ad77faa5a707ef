"""Text as compared for matching: names typed with or without case, accents,
spaces or punctuation are the same name."""

from __future__ import annotations

import unicodedata


def match_key(text: str) -> str:
    """A name as compared for duplicates: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def person_name_key(full_name: str) -> str:
    """A name as compared for duplicates: words without case or accents, in any order,
    so « TRAORE Aminata » and « Aminata Traoré » are the same person's name."""
    return " ".join(sorted(key for word in full_name.split() if (key := match_key(word))))
