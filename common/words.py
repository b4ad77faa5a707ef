"""Numbers, sizes and punctuation in the reader's language, for Python and templates.

English writes "63.2%" and "Target: met"; French writes « 63,2 % » and
« Cible : atteinte », with a no-break space (U+00A0) before the sign and the
colon so that a line never breaks between them. The French forms live in the
catalogue, so each language's typography is written once. U+00A0 rather than
the narrower U+202F: the certificates' built-in PDF font has no U+202F.

In a template: ``{% load words %}``, then ``{{ share|percent }}``,
``{{ label|colon }}`` and ``{{ document.size|file_size }}``.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import avoid_wrapping
from django.utils.translation import gettext, ngettext

register = template.Library()

KB = 1024
MB = 1024 * KB


@register.filter
def percent(value: Decimal | int | float | None) -> str:
    """63.2% in English, 63,2 % in French; a dash when there is nothing to divide."""
    if value is None or value == "":
        return "—"
    return gettext("%(number)s%%") % {"number": number_format(value)}


@register.filter
def colon(text: object) -> str:
    """The text and a colon, the way the language writes them: "Status:", « Statut : »."""
    return gettext("%(text)s:") % {"text": text}


@register.filter
def file_size(size: int | None) -> str:
    """A file's size as its reader says it, never rounded away to nothing:
    "840 bytes", "312 KB", "2.5 MB" in English; « 312 Ko », « 2,5 Mo » in French
    (Django's own filter says « Kio », which nobody here reads)."""
    size = int(size or 0)
    if size < KB:
        text = ngettext("%(number)s byte", "%(number)s bytes", size) % {"number": size}
    elif size < MB:
        kilobytes = min(round(size / KB), 1023)  # 1,023.6 KB is not yet "1,024 KB"
        text = gettext("%(number)s KB") % {"number": number_format(kilobytes)}
    else:
        text = gettext("%(number)s MB") % {"number": number_format(size / MB, 1)}
    return avoid_wrapping(text)
