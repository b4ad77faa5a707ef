"""Phone numbers as people type them, stored one way: +223 and eight digits."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

MALI_PREFIX = "+223"


def normalise_phone(text) -> str:
    """« 76 12 34 56 », « 0022376123456 » or 76123456.0 (from a spreadsheet)
    become « +22376123456 »; an international number keeps its country code.

    Raises ValueError with a message the person who typed it can act on."""
    if text is None or text == "":
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = str(text).strip()
    # Several numbers in one cell: keep the first.
    raw = re.split(r"[/;]| et | ou ", raw)[0]
    digits = re.sub(r"\D", "", raw)
    international = raw.lstrip().startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("00")
    if len(digits) == 8 and not international:
        return MALI_PREFIX + digits
    if len(digits) == 11 and digits.startswith("223"):
        return "+" + digits
    if international and 8 <= len(digits) <= 15:
        return "+" + digits
    raise ValueError(
        _(
            "Phone number “%(value)s” is not understood: type the 8 digits of a Malian "
            "number (76 12 34 56) or an international number (+33 …)."
        )
        % {"value": text}
    )
