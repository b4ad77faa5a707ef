"""Organisations of the register found as people write them on a sheet."""

from __future__ import annotations

import re

from common.text import match_key
from members.models import Organisation

ACRONYM_IN_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$")
# Words left out of an acronym: « Association Malienne des Droits de l'Homme » is AMDH.
MINOR_WORDS = {
    "de", "des", "du", "d", "la", "le", "les", "l", "et", "pour", "en", "au", "aux", "a",
    "sur", "dans", "par", "of", "the", "and", "for", "in", "on", "to",
}  # fmt: skip
ACRONYM_LIKE = re.compile(r"^[^\W_][\w.&-]{1,14}$")


def split_acronym(text: str) -> tuple[str, str]:
    """« Union Nationale des Travailleurs du Mali (UNTM) » → (name, "UNTM"); a lone
    acronym-like word is both."""
    if (match := ACRONYM_IN_BRACKETS.match(text)) and match.group(1):
        return match.group(1), match.group(2)[:30]
    if ACRONYM_LIKE.match(text) and text.upper() == text and any(c.isalpha() for c in text):
        return text, text[:30]
    return text, ""


def initials(name: str) -> str:
    words = re.split(r"[\W_]+", name.casefold())
    return "".join(match_key(word)[:1] for word in words if word and word not in MINOR_WORDS)


class OrganisationMatcher:
    """Finds an organisation of the register as people write it: its name, its
    acronym, « Name (ACRONYM) », or its initials when only one organisation has them;
    case, accents, punctuation and spacing aside. One query, on first use."""

    def __init__(self) -> None:
        self._exact: dict[str, Organisation] | None = None
        self._initials: dict[str, list[Organisation]] = {}

    def _load(self) -> dict[str, Organisation]:
        if self._exact is None:
            self._exact = {}
            loose: dict[str, Organisation] = {}
            for organisation in Organisation.objects.order_by("pk"):
                self._exact[organisation.name_key] = organisation
                if organisation.acronym_key:
                    self._exact[organisation.acronym_key] = organisation
                name, acronym = split_acronym(organisation.name)
                for key in (match_key(name), match_key(acronym)):
                    if key:
                        loose.setdefault(key, organisation)
                self._initials.setdefault(initials(name), []).append(organisation)
            for key, organisation in loose.items():
                self._exact.setdefault(key, organisation)
        return self._exact

    def find(self, text: str) -> Organisation | None:
        key = match_key(text)
        if not key:
            return None
        exact = self._load()
        if key in exact:
            return exact[key]
        name, acronym = split_acronym(text)
        for part in (match_key(name), match_key(acronym)):
            if part and part in exact:
                return exact[part]
        if ACRONYM_LIKE.match(text.strip()):
            candidates = self._initials.get(key, [])
            if len(candidates) == 1:
                return candidates[0]
        return None
