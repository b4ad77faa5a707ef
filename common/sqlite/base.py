"""Django's SQLite backend, told how many values one statement may carry here.

Django 5.2 assumes SQLite's old compile-time limit of 999 bound values per
statement, and cuts every `bulk_create` to fit it: a sheet of 10,000 people was
written in about 240 statements (71 people a statement) where PostgreSQL takes
30. The library knows its own limit (32,766 by default since SQLite 3.32), so
each new connection asks it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        connection = super().get_new_connection(conn_params)
        self.features.max_query_params = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return connection
