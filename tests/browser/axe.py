"""axe-core in the browser: check a page, and crawl a persona's pages checking each.

axe-core comes from npm (`tests/browser/package.json`, installed by `npm ci`
there); the pages' Content-Security-Policy forbids the injected script, so the
browser context that runs it is made with `bypass_csp=True`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA: the rules the portal promises to pass.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r =>
  r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120))})))"""

# Not crawled: signing out ends the persona's session; files (PDF, CSV,
# spreadsheets, images) are no pages; the admin has its own markup, not ours;
# the language switcher and dismissals are POST forms, never links.
SKIPPED = re.compile(
    r"/account/logout/|^/admin/|^/static/|^/media/|\.(pdf|csv|xlsx|png|jpe?g|svg)$"
    r"|/download/|/documents/\d+/$|/photos/\d+/$|^/accounts/language/|/export/$"
)


def violations_of(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(where: str, violations: list[dict]) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}\n      " + "\n      ".join(v["targets"])
        for v in violations
    ]


def pattern_of(url: str) -> str | None:
    """The URL pattern a link leads to, with its query's names: one page stands for all
    the pages of one pattern (every workshop page is the same template)."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return match.view_name + ("?" + "&".join(names) if names else "")


def crawl(page: Page, base_url: str, starts: list[str], *, limit: int) -> Iterator[str]:
    """Breadth-first over same-origin links from `starts`, at most `limit` pages, one per
    URL pattern: open each page and yield its path, for the caller to check it."""
    queue: deque[str] = deque()
    patterns: set[str | None] = set()
    visited = 0

    def follow(path: str) -> None:
        pattern = pattern_of(path)
        if pattern is not None and pattern not in patterns:
            patterns.add(pattern)
            queue.append(path)

    for start in starts:
        follow(start)
    while queue and visited < limit:
        path = queue.popleft()
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.header_value("content-type") or ""):
            continue
        visited += 1
        yield path
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = link.split("#")[0]
            if link.startswith(base_url + "/"):
                path = link.removeprefix(base_url)
                if not SKIPPED.search(urlsplit(path).path):
                    follow(path)
