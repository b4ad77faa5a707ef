"""What a page costs a phone: its bytes over the wire, assets included, and its
load in Chromium on the 3G profile."""

from __future__ import annotations

import gzip
import re
import shutil
import statistics
import sys
import time
import urllib.parse

from bench import pages
from bench.fetching import fetch
from tests.browser.chromium import CHROMIUM_FLAGS

ACCEPT_ENCODING = "gzip, deflate, br"
# The 3G profile: 1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip.
THREE_G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}

ASSET = re.compile(rb'<(?:link|script|img|source)\b[^>]*?\b(?:href|src)="([^"#]+)"', re.IGNORECASE)
CSS_URL = re.compile(rb'url\(\s*["\']?([^"\')]+)["\']?\s*\)')


def page_bytes(base: str, path: str, session: str | None) -> tuple[int, int]:
    """HTML and total bytes over the wire with an empty cache, compressed as served."""
    cookies = {"sessionid": session} if session else {}
    html = fetch(base + path, dict(cookies), encoding=ACCEPT_ENCODING)
    plain = fetch(base + path, dict(cookies)).body
    total, seen = len(html.body), set()
    queue = [urllib.parse.urljoin(base + path, ref.decode()) for ref in ASSET.findall(plain)]
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith(base):
            continue
        seen.add(url)
        asset = fetch(url, dict(cookies), encoding=ACCEPT_ENCODING)
        total += len(asset.body)
        if url.endswith(".css"):
            body = asset.body
            if asset.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            elif asset.headers.get("Content-Encoding"):
                body = fetch(url, dict(cookies)).body
            queue += [
                urllib.parse.urljoin(url, ref.decode())
                for ref in CSS_URL.findall(body)
                if not ref.startswith(b"data:")
            ]
    return len(html.body), total


def load_times(base: str, sessions: dict) -> dict[str, float]:
    """Each J1 page in Chromium on the 3G profile, empty cache: median of 3 loads."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium not found: apt-get install -y chromium")
    times = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for label, account, path in pages.J1_PAGES:
            runs = []
            for _run in range(3):
                context = browser.new_context(viewport={"width": 360, "height": 780})
                if account:
                    cookie = {"name": "sessionid", "value": sessions[account], "url": base}
                    context.add_cookies([cookie])
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send("Network.emulateNetworkConditions", THREE_G)
                start = time.perf_counter()
                response = page.goto(base + path, wait_until="load")
                runs.append(time.perf_counter() - start)
                if response is None or response.status != 200 or not page.url.endswith(path):
                    sys.exit(f"{path} in Chromium ended at {page.url}")
                context.close()
            times[label] = statistics.median(runs)
        browser.close()
    return times
