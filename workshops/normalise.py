"""Turn what people type (on a form or in a spreadsheet) into the stored form.

Each reader knows a fixed table of ways of writing a value (the tests keep the
table) and never guesses beyond it: a value it cannot read raises `Unreadable`,
whose message names the raw text and what becomes of it, and the caller keeps
the value unknown.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from common.text import match_key
from workshops.models import AgeGroup, Sex
from workshops.rules import youth_max_age


class Unreadable(ValueError):
    """A typed value the tables do not know; the message is for the secretariat."""


SEX_WORDS = {
    Sex.FEMALE: {
        "f",
        "fem",
        "femme",
        "feminin",
        "feminine",
        "female",
        "w",
        "woman",
        "fille",
        "mme",
        "mlle",
        "madame",
    },
    Sex.MALE: {"m", "h", "homme", "masc", "masculin", "male", "man", "garcon", "mr", "monsieur"},
}
# Written in a sheet to say "not known": read as unknown without a remark.
UNKNOWN_WORDS = {"", "nsp", "inconnu", "inconnue", "unknown", "nc", "na", "nd", "ns"}

PRESENT_WORDS = {"x", "oui", "yes", "y", "o", "1", "p", "present", "presente", "presents", "ok"}
PRESENT_MARKS = {"✓", "✔", "☑", "✅", "√"}
ABSENT_WORDS = {"", "0", "non", "no", "n", "absent", "absente", "a", "false", "faux"}

MONTHS = {
    **dict.fromkeys(("janvier", "janv", "jan", "january"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev", "feb", "february"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3),
    **dict.fromkeys(("avril", "avr", "apr", "april"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "jun", "june"), 6),
    **dict.fromkeys(("juillet", "juil", "jul", "july"), 7),
    **dict.fromkeys(("aout", "aug", "august"), 8),
    **dict.fromkeys(("septembre", "sept", "sep", "september"), 9),
    **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("decembre", "dec", "december"), 12),
}
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MONTH_YEAR = re.compile(r"^(?:(\d{1,2})(?:er)?\s+)?([^\W\d_]+)\.?\s+(\d{4})$")
YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
AGE = re.compile(r"^(\d{1,3})(?:[.,]0+)?\s*(?:ans?|years?|yrs?)?$")
# Ranges: "18-35", "18 à 35 ans", "40+", "+ de 40", "plus de 35 ans", "moins de 35 ans".
RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|à|a|to)\s*(\d{1,3})\s*(?:ans?|years?)?$")
AT_LEAST = re.compile(
    r"^(?:(\d{1,3})\s*(?:ans?|years?)?\s*"
    r"(?:\+|et plus|ou plus|et \+|ou \+|and over|or over|or more|and above|\+ ans)"
    r"|(?:\+|>|≥|>=|plus de|\+ de|over|more than|au moins|at least)"
    r"\s*(\d{1,3})\s*(?:ans?|years?)?)$"
)
AT_MOST = re.compile(
    r"^(?:(\d{1,3})\s*(?:ans?|years?)?\s*(?:et moins|ou moins|and under|or under|or less)"
    r"|(?:<|≤|<=|moins de|under|less than|au plus|at most)\s*(\d{1,3})\s*(?:ans?|years?)?)$"
)
STRICT_WORDS = (">", "<", "plus de", "+ de", "moins de", "over", "under", "more than", "less than")
OLDEST, YOUNGEST = 110, 5
# A spreadsheet date typed in a cell not formatted as a date arrives as its serial number.
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def clean_name(text) -> str:
    return " ".join(str(text if text is not None else "").split())


def _raw(value) -> str:
    return clean_name(value)


def clean_sex(text) -> str:
    key = match_key(str(text if text is not None else ""))
    for sex, words in SEX_WORDS.items():
        if key in words:
            return sex
    if key in UNKNOWN_WORDS:
        return Sex.UNKNOWN
    raise Unreadable(_("Sex “%(value)s” not understood: unknown.") % {"value": _raw(text)})


def clean_email(text) -> str:
    value = str(text if text is not None else "").strip().lower().removeprefix("mailto:")
    if match_key(value) in UNKNOWN_WORDS:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise Unreadable(
            _("E-mail “%(value)s” is not valid: not recorded.") % {"value": _raw(text)}
        ) from None
    return value


def is_present(value) -> bool:
    """Whether a presence cell says the person was there; Unreadable when it cannot tell."""
    if value is True:
        return True
    if value is None or value is False:
        return False
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
    else:
        text = str(value).strip()
        if text in PRESENT_MARKS:
            return True
        key = match_key(text)
        if key in PRESENT_WORDS:
            return True
        if key in ABSENT_WORDS and not (text and not key):
            return False
        if not key and text in {"-", "–", "—", "/"}:
            return False
    raise Unreadable(
        _("Presence “%(value)s” not understood: that day is not counted.") % {"value": value}
    )


@dataclass
class AgeReading:
    """What the age and birth columns of a row say."""

    birth_year: int | None = None
    age_group: str = AgeGroup.UNKNOWN
    notes: list[str] = field(default_factory=list)


def _date_of(value) -> datetime.date | None:
    """A date typed in one of the known ways, or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_name(value).lower()
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (DAY_FIRST_DATE, (2, 1, 0))):
        if match := pattern.match(text):
            parts = [int(part) for part in match.groups()]
            try:
                return datetime.date(*(parts[i] for i in order))
            except ValueError:
                return None
    return None


def _year_of(value) -> int | None:
    """A year of birth read from a typed date, month and year, or year alone."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1000 <= value <= 2999:
            return int(value)
        if float(value).is_integer() and 367 <= value <= 80000:
            return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).year
        return None
    if (date := _date_of(value)) is not None:
        return date.year
    text = clean_name(value).lower()
    if match := YEAR.match(text):
        return int(match.group(1))
    if match := MONTH_YEAR.match(text):
        month = match_key(match.group(2))
        if month in MONTHS:
            return int(match.group(3))
    return None


def _age_of(value) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    if match := AGE.match(clean_name(value).lower()):
        return int(match.group(1))
    return None


def _range_of(value) -> tuple[int | None, int | None] | None:
    """The (lowest, highest) age a typed range allows; None when it is not a range."""
    text = clean_name(value).lower()
    if match := RANGE.match(text):
        low, high = int(match.group(1)), int(match.group(2))
        return (low, high) if low <= high else None
    strict = any(text.startswith(word) for word in STRICT_WORDS)
    if match := AT_LEAST.match(text):
        low = int(match.group(1) or match.group(2))
        return (low + 1 if strict else low, None)
    if match := AT_MOST.match(text):
        high = int(match.group(1) or match.group(2))
        return (None, high - 1 if strict else high)
    return None


def read_age(*, age=None, birth=None, on: datetime.date, max_age: int | None = None):
    """The year of birth, or failing it the age group, that the row's cells tell.

    A birth date or year wins over an age; an age at the event gives the year
    (the event's year minus the age); a range gives only the age group, and
    only when it falls wholly on one side of the youth limit."""
    max_age = youth_max_age() if max_age is None else max_age
    reading = AgeReading()
    if not _is_blank(birth):
        year = _year_of(birth)
        if year is not None and _plausible(year, on):
            reading.birth_year = year
            return reading
        reading.notes.append(
            _("Birth date “%(value)s” not understood: unknown.") % {"value": _raw(birth)}
        )
    if _is_blank(age):
        return reading
    years = _age_of(age)
    if years is not None and YOUNGEST <= years <= OLDEST:
        reading.birth_year = on.year - years
        return reading
    # An age column often holds a birth date or year instead.
    if (year := _year_of(age)) is not None and _plausible(year, on):
        reading.birth_year = year
        return reading
    if (bounds := _range_of(age)) is not None:
        low, high = bounds
        values = {"value": _raw(age), "age": max_age}
        if high is not None and high <= max_age:
            reading.age_group = AgeGroup.YOUTH
            reading.notes.append(_("Age “%(value)s”: age range %(age)s or under.") % values)
        elif low is not None and low > max_age:
            reading.age_group = AgeGroup.OLDER
            reading.notes.append(_("Age “%(value)s”: age range over %(age)s.") % values)
        else:
            reading.notes.append(
                _("Age “%(value)s”: the range spans the youth limit (%(age)s): unknown.") % values
            )
        return reading
    reading.notes.append(_("Age “%(value)s” not understood: unknown.") % {"value": _raw(age)})
    return reading


def _is_blank(value) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and match_key(value) in UNKNOWN_WORDS


def _plausible(year: int, on: datetime.date) -> bool:
    return on.year - OLDEST <= year <= on.year - YOUNGEST


def birth_year_from(*, age=None, birth=None, on: datetime.date) -> int | None:
    """A birth year from a typed year or an age at the event (the forms' fields)."""
    reading = read_age(age=age, birth=birth, on=on)
    if reading.notes:
        raise Unreadable(" ".join(reading.notes))
    return reading.birth_year
