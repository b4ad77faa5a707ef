"""The French catalogue is complete, compiled, and knows every string of the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "acrss",
    "accounts",
    "audit",
    "common",
    "members",
    "workshops",
    "reports",
    "checkin",
    "templates",
    "locale",
]


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(PO))
        if e.translated() and not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(PO.with_suffix(".mo")))
    }
    assert compiled == source, "run `make messages` to compile the catalogue"


def test_the_catalogue_holds_every_translatable_string_of_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is missing: `apt-get install gettext`")
        pytest.skip("GNU gettext not found: `apt-get install gettext` to check the catalogue")
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "manage.py", tmp_path)
    # The copy has no tests/ folder: read the settings the code itself runs with.
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "acrss.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / PO.relative_to(ROOT)))}
    known = {e.msgid for e in polib.pofile(str(PO))}
    assert fresh - known == set(), "run `make messages` and translate the new strings"
    assert known - fresh == set(), "run `make messages` to drop strings the code no longer has"
