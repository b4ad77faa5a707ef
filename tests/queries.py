"""Counting a page's queries: drawn afresh, and on either shared cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

CACHE_IN_DATABASE = "DatabaseCache" in settings.CACHES["default"]["BACKEND"]


def on_each_cache(*, redis: int, database: int) -> int:
    """A query budget where the shared cache makes it differ.

    Without Redis the cache is a table of the database (the embedded default):
    reading a key there is a query, writing one five (Django counts the table to
    cull it, then looks the key up and writes it in a savepoint), and the session
    is read from its own table rather than from the cache.
    """
    return database if CACHE_IN_DATABASE else redis


def queries_drawn_afresh(client, url: str):
    """(queries, response) of the page with the shared cache emptied: what it costs
    the first time after a write, which must not grow with the data."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response
