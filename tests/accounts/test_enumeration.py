"""Nothing tells whether an address has an account: sign-up, password reset and
log-in answer a known and an unknown address alike, in the same time.

Times are compared, not measured against a clock: the median of 30 tries each,
known and unknown taking turns, must be within a factor of two. Passwords are
hashed here by a deliberately slow hasher (tens of milliseconds), so that a flow
that hashes for one kind of address and not the other shows.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

TRIES = 30


class SlowHasher(PBKDF2PasswordHasher):
    """A hash costing tens of milliseconds, like production's (in hundreds)."""

    iterations = 50_000


@pytest.fixture(autouse=True)
def _slow_hashes_and_no_limits(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowHasher"]
    # The flows are timed, not the limits (tested elsewhere).
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture
def known():
    return make_user("fanta@example.org", second_factor=False)


def medians(known_try, unknown_try) -> tuple[float, float]:
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(TRIES):
        for kind, attempt in (("known", known_try), ("unknown", unknown_try)):
            started = time.perf_counter()
            attempt(n)
            times[kind].append(time.perf_counter() - started)
    return statistics.median(times["known"]), statistics.median(times["unknown"])


def assert_alike(known_ms: float, unknown_ms: float) -> None:
    ratio = known_ms / unknown_ms
    assert 0.5 <= ratio <= 2, f"known {known_ms * 1e3:.1f} ms, unknown {unknown_ms * 1e3:.1f} ms"


def sign_up(email: str, n: int):
    password = f"Un-mot-de-passe-long-{n}"
    return Client(REMOTE_ADDR=f"10.8.{n}.1").post(
        "/account/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_sign_up_answers_alike_for_a_known_and_an_unknown_address(known):
    answers = {}

    def known_try(n):
        answers.setdefault("known", sign_up(known.email, n))

    def unknown_try(n):
        answers.setdefault("unknown", sign_up(f"nouveau-{n}@example.org", n))

    assert_alike(*medians(known_try, unknown_try))
    assert answers["known"].status_code == answers["unknown"].status_code == 302
    assert answers["known"].url == answers["unknown"].url


def test_password_reset_answers_alike_for_a_known_and_an_unknown_address(known):
    def reset(email, n):
        return Client(REMOTE_ADDR=f"10.9.{n}.1").post("/account/password/reset/", {"email": email})

    first = reset(known.email, 0), reset("inconnu@example.org", 0)
    assert first[0].status_code == first[1].status_code == 302
    assert first[0].url == first[1].url
    assert_alike(
        *medians(lambda n: reset(known.email, n), lambda n: reset("inconnu@example.org", n))
    )


def test_log_in_answers_alike_for_a_known_and_an_unknown_address(known):
    def log_in(email, n):
        return Client(REMOTE_ADDR=f"10.10.{n}.1").post(
            "/account/login/", {"login": email, "password": f"faux-{n}"}
        )

    pages = log_in(known.email, 0), log_in("inconnu@example.org", 0)
    assert pages[0].status_code == pages[1].status_code == 200
    assert_alike(
        *medians(lambda n: log_in(known.email, n), lambda n: log_in("inconnu@example.org", n))
    )
