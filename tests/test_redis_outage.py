"""Redis is a cache, not a point of failure: a Redis of the test's own is stopped,
and pages, log-in, limits and used codes carry on over the database; `/readyz`
says what is down; when Redis comes back the portal uses it again, and nothing
the outage changed is read back from before it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client

from common import rediscache
from common.models import RateLimitCount
from common.ratelimit import allow
from tests.factories import PASSWORD, current_totp_code

REDIS_SERVER = shutil.which("redis-server")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        REDIS_SERVER is None and not os.environ.get("CI"),
        reason="needs redis-server installed (CI has it)",
    ),
]


class OwnRedis:
    """A redis-server on a free port, keeping nothing on disk."""

    def __init__(self, folder) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def pause(self) -> None:
        """Unreachable but not restarted: it keeps what it held."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.stop()


@pytest.fixture
def own_redis(tmp_path, settings, monkeypatch):
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "acrss",
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "acrss_cache",
            "KEY_PREFIX": "acrss",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Ask Redis again at once rather than after a few seconds.
    monkeypatch.setattr(rediscache, "RETRY_SECONDS", 0)
    monkeypatch.setattr(rediscache, "_OUTAGES", {})
    yield server
    server.close()


def log_in(email: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    return client, client.post("/account/login/", {"login": email, "password": password})


def test_with_redis_stopped_visitors_and_members_carry_on(
    own_redis, client, secretariat, representative
):
    own_redis.stop()
    visitor = Client()
    assert visitor.get("/").status_code == 200
    assert visitor.get("/directory/").status_code == 200
    member, response = log_in(representative.email)
    assert response.status_code == 302
    assert member.get("/membership/").status_code == 200
    client.force_login(secretariat)
    assert client.get("/workshops/").status_code == 200


def test_with_redis_stopped_readyz_names_it_and_healthz_stays_up(own_redis):
    assert Client().get("/readyz").status_code == 200
    own_redis.stop()
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert "cache (Redis) unavailable" in ready.content.decode()
    assert Client().get("/healthz").status_code == 200
    own_redis.start()
    assert Client().get("/readyz").status_code == 200


def test_log_in_limits_still_refuse_with_redis_stopped(own_redis, secretariat):
    own_redis.stop()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        attacker.post("/account/login/", {"login": secretariat.email, "password": f"wrong-{n}"})
    response = attacker.post("/account/login/", {"login": secretariat.email, "password": "x"})
    assert "Trop de tentatives" in response.content.decode()


def test_counts_made_during_the_outage_carry_over_when_redis_returns(own_redis):
    own_redis.stop()
    assert [allow("test", "ana", limit=3, window=3600) for _ in range(2)] == [True, True]
    assert RateLimitCount.objects.get().count == 2
    own_redis.start()
    assert [allow("test", "ana", limit=3, window=3600) for _ in range(2)] == [True, False]
    # Counted in Redis again, without a restart of the portal.
    assert own_redis.client().keys("*ratelimit:test*")


def test_a_session_ended_during_the_outage_stays_ended(own_redis, representative):
    member, _response = log_in(representative.email)
    assert member.get("/membership/").status_code == 200
    cookie = member.cookies["sessionid"].value
    own_redis.pause()
    try:
        member.post("/account/logout/")
    finally:
        own_redis.resume()
    # Redis still holds the session as it was before the outage: it is not read back.
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    response = stolen.get("/membership/")
    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


def test_a_used_code_is_refused_after_redis_restarts_empty(own_redis, secretariat):
    code = current_totp_code()
    first, _response = log_in(secretariat.email)
    assert first.post("/account/2fa/authenticate/", {"code": code}).status_code == 302
    own_redis.stop()
    own_redis.start()
    again, _response = log_in(secretariat.email)
    assert again.post("/account/2fa/authenticate/", {"code": code}).status_code == 200
