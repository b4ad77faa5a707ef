"""Without Redis the shared cache is a database table, and `migrate` makes it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "acrss_cache",
    }
}


def test_migrate_creates_the_cache_table(settings):
    settings.CACHES = DATABASE_CACHE
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS acrss_cache")
    assert "acrss_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "acrss_cache" in connection.introspection.table_names()
