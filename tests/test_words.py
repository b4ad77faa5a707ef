"""Numbers, sizes, plurals and punctuation as each language writes them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from common.words import colon, file_size, percent

NBSP = "\u00a0"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(
    ("language", "share", "target"),
    [("en", "63.2%", "30%:"), ("fr", f"63,2{NBSP}%", f"30{NBSP}%{NBSP}:")],
)
def test_a_percentage_and_its_target_are_written_as_the_language_writes_them(
    language, share, target
):
    with translation.override(language):
        assert percent(Decimal("63.2")) == share
        assert colon(percent(30)) == target


def test_nothing_to_divide_shows_a_dash():
    assert percent(None) == "—"


@pytest.mark.parametrize(
    ("size", "english", "french"),
    [
        (1, "1 byte", "1 octet"),
        (840, "840 bytes", "840 octets"),
        (48_000, "47 KB", "47 Ko"),
        (312 * 1024, "312 KB", "312 Ko"),
        (1024 * 1024 - 1, "1023 KB", "1023 Ko"),
        (int(2.5 * 1024 * 1024), "2.5 MB", "2,5 Mo"),
    ],
)
def test_a_file_size_under_a_megabyte_is_never_zero_and_never_wraps(size, english, french):
    with translation.override("en"):
        assert file_size(size) == english.replace(" ", NBSP)
    with translation.override("fr"):
        assert file_size(size) == french.replace(" ", NBSP)


def test_the_filters_work_in_templates():
    template = Template(
        "{% load words %}{{ share|percent }} · {{ label|colon }} · {{ size|file_size }}"
    )
    with translation.override("en"):
        shown = template.render(
            Context({"share": Decimal("50.0"), "label": "Status", "size": 2048})
        )
    assert shown == f"50.0% · Status: · 2{NBSP}KB"


def french_entries():
    for entry in polib.pofile(str(CATALOGUE)):
        yield from [entry.msgstr, *entry.msgstr_plural.values()]


def test_no_french_line_starts_with_a_colon_a_closing_quote_or_a_percent_sign():
    """French puts a space before « : ; ! ? » % » and after «: it must be a no-break one,
    or the sign can wrap to the next line, alone."""
    # A literal percent sign is "%%" where the string has placeholders, "%" where it has none.
    breakable = re.compile(r" [:;!?»]|« | %%| %(?=[\s.,)]|$)")
    assert [text for text in french_entries() if breakable.search(text)] == []


def test_english_sources_use_english_quotes_in_the_reports():
    entries = polib.pofile(str(CATALOGUE))
    reports = [
        entry.msgid
        for entry in entries
        if any(
            path.startswith(("reports/", "members/", "checkin/")) for path, _ in entry.occurrences
        )
    ]
    assert [msgid for msgid in reports if "«" in msgid] == []
