"""Counting a page's queries when it is drawn afresh, not read from the cache."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_drawn_afresh(client, url: str):
    """(queries, response) of the page with the shared cache emptied: what it costs
    the first time after a write, which must not grow with the data."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response
