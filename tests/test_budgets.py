"""DESIGN's page budgets: small pages, nothing loaded from another host."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

HTML_BUDGET = 30 * 1024
PAGE_BUDGET = 60 * 1024
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]+)"')


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def page_weight(client, url: str) -> tuple[int, int, list[str]]:
    """(HTML bytes, compressed bytes of the page and its assets, asset URLs)."""
    html = client.get(url).content
    assets = ASSET.findall(html.decode())
    total = compressed_size(html)
    for asset in assets:
        path = finders.find(asset.removeprefix("/static/"))
        assert path, f"{asset} is not one of our static files"
        with open(path, "rb") as file:
            total += compressed_size(file.read())
    return len(html), total, assets


@pytest.mark.parametrize(
    "url", ["/", "/privacy/", "/account/login/", "/account/signup/", "/account/password/reset/"]
)
def test_page_fits_the_budget_with_an_empty_cache(client, url):
    html_bytes, total, assets = page_weight(client, url)
    assert html_bytes <= HTML_BUDGET
    assert total <= PAGE_BUDGET
    assert all(asset.startswith("/static/") for asset in assets)


@pytest.mark.parametrize("url", ["/", "/account/login/"])
def test_page_names_no_other_host(client, url):
    html = client.get(url).content.decode()
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html)
