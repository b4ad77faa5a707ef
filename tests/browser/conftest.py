"""Journeys in a real browser: Debian's chromium driven by Playwright.

Playwright's own browser download is never used; without chromium the tests
are skipped, except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.axe import AXE_SCRIPT
from tests.browser.chromium import CHROMIUM_FLAGS

# Playwright's sync API runs an event loop in the test thread; the database
# calls the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Outside test-results/, which pytest-playwright empties at every run.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        reason = "chromium not found: `apt-get install chromium` to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone-sized window, as most representatives have."""
    return {**browser_context_args, "viewport": {"width": 360, "height": 780}}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def axe_page(browser, browser_context_args):
    """A phone-sized page where axe-core can be injected: the portal's
    Content-Security-Policy forbids the script, so this context bypasses it."""
    if not AXE_SCRIPT.exists():
        reason = "axe-core not found: `npm ci` in tests/browser/ to run the accessibility checks"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()
