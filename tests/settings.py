"""Settings of the test run: production's, plus what tests need.

The project's one settings import chain, and it exists for tests only: the
suite must run what production runs, so it imports `acrss.settings` itself
rather than a copy, and changes only what makes tests fast and runnable over
plain HTTP with no static files collected. Production never imports this module.
"""

from __future__ import annotations

import os

TEST_SECRET_KEY = "insecure-key-for-the-test-run-only-0123456789abcdef"
# Production stops at import without a secret key (outside debug).
if not os.environ.get("DJANGO_SECRET_KEY", "").strip():
    os.environ["DJANGO_SECRET_KEY"] = TEST_SECRET_KEY

# Tests run in several processes (pytest-xdist): pytest-django gives each its own
# test database, and each takes its own Redis database here, counted on from
# REDIS_URL's, so that one emptying the cache never empties another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _server, _slash, _number = os.environ["REDIS_URL"].rpartition("/")
    if _number.isdigit():
        os.environ["REDIS_URL"] = f"{_server}/{int(_number) + int(_worker[2:])}"

from acrss.settings import *  # noqa: E402, F403

SECRET_KEY = TEST_SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# Hashing a password the production way costs a tenth of a second per account.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No manifest without `collectstatic`: serve the files as they are, from their folders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True

# The test client and the browser tests' live server speak plain HTTP.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False

# SQLite's test database lives in memory, one per process: named so, or pytest-xdist
# would give each process a file named after the embedded default's path.
if DATABASES["default"]["ENGINE"] == "common.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# Tasks run in the test's own process, as soon as the transaction that enqueued them
# commits, so that a test reads the e-mail it caused from `mail.outbox`; the tests
# of the worker itself put them in the database (`tests/tasks.py`).
TASKS = {"default": {"BACKEND": "tests.tasks.ImmediateOnCommitBackend"}}
