"""Two web processes share one record of used TOTP codes: a code accepted by one
is refused by the other (each process's own memory would accept it twice)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD, current_totp_code, make_user

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.needs("redis", "the cache two web processes share"),
    pytest.mark.needs("postgresql", "two processes share a PostgreSQL database"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    """Up to two minutes: a loaded machine (tests in several processes) starts slowly."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{base} did not start")


@pytest.fixture
def two_servers(transactional_db):
    assert REDIS_URL, "CI must set REDIS_URL"
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        REDIS_URL=REDIS_URL,
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
    )
    servers, bases = [], []
    for _number in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, server in zip(bases, servers, strict=True):
            wait_until_up(base, server)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


class Browser:
    """Cookies and CSRF tokens, as a browser keeps them, against one server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path) as response:
            return response.url, response.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        _url, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request) as response:
            return response.url, response.read().decode()


def test_a_totp_code_used_on_one_process_is_refused_by_the_other(two_servers, settings):
    # The servers run production's password hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    member = make_user("oumar@example.org", role="committee")
    first, second = Browser(two_servers[0]), Browser(two_servers[1])
    for browser in (first, second):
        url, _page = browser.submit(
            "/account/login/", {"login": member.email, "password": PASSWORD}
        )
        assert url.endswith("/account/2fa/authenticate/")

    code = current_totp_code()
    url, _page = first.submit("/account/2fa/authenticate/", {"code": code})
    assert not url.endswith("/account/2fa/authenticate/")  # signed in

    url, page = second.submit("/account/2fa/authenticate/", {"code": code})
    assert url.endswith("/account/2fa/authenticate/")
    assert "Code incorrect" in page
