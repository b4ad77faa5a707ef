"""Turn what people type (on a form or in a spreadsheet) into the stored form.

Each function returns the clean value or raises ValueError with a message a
secretariat member can act on.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from common.text import match_key
from workshops.models import Sex

SEX_WORDS = {
    Sex.FEMALE: {"f", "femme", "feminin", "female", "w", "woman", "fille", "mme", "mlle", "madame"},
    Sex.MALE: {"m", "h", "homme", "masculin", "male", "man", "garcon", "mr", "monsieur"},
    Sex.UNKNOWN: {"", "nsp", "inconnu", "unknown", "nc", "na"},
}


def clean_name(text) -> str:
    return " ".join(str(text or "").split())


def clean_sex(text) -> str:
    key = match_key(str(text or ""))
    for sex, words in SEX_WORDS.items():
        if key in words:
            return sex
    raise ValueError(_("Sex « %(value)s » is not understood (F or M).") % {"value": text})


def clean_email(text) -> str:
    value = str(text or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("E-mail « %(value)s » is not valid.") % {"value": text}) from None
    return value


def birth_year_from(*, age=None, birth=None, on: datetime.date) -> int | None:
    """A birth year from a typed birth year or date, or from an age given at an event."""
    if birth not in (None, ""):
        if isinstance(birth, datetime.date | datetime.datetime):
            return birth.year
        match = re.search(r"(19|20)\d\d", str(birth))
        if match is None:
            raise ValueError(_("Year of birth « %(value)s » is not understood.") % {"value": birth})
        return int(match.group())
    if age not in (None, ""):
        match = re.fullmatch(r"\s*(\d{1,3})(?:[.,]0)?\s*(ans?|years?)?\s*", str(age), re.I)
        if match is None or not 5 <= int(match.group(1)) <= 110:
            raise ValueError(_("Age « %(value)s » is not understood.") % {"value": age})
        return on.year - int(match.group(1))
    return None
