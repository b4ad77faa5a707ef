from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests.factories import make_user, pass_second_factor


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _an_empty_cache(request):
    """Rate limits and used TOTP codes of one test never reach another.

    The database cache is emptied by each test's rollback, except where the
    test commits for real.
    """
    if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
        if not {"transactional_db", "live_server"} & set(request.fixturenames):
            return
        request.getfixturevalue("transactional_db")
    cache.clear()


class SignedInClient(Client):
    """`force_login` stands for a finished sign-in: the password and, for an
    account with a second factor, its code, as allauth records them."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.org", role="admin", full_name="Moussa Keïta")


@pytest.fixture
def secretariat(db):
    return make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")


@pytest.fixture
def committee_member(db):
    return make_user("committee1@example.org", role="committee", full_name="Oumar Diallo")


@pytest.fixture
def fes_partner(db):
    return make_user("fes@example.org", role="partner", full_name="Claudia Weber")


@pytest.fixture
def representative(db):
    return make_user("representative@example.org", full_name="Mariam Touré")


@pytest.fixture
def other_representative(db):
    return make_user("other.representative@example.org", full_name="Ousmane Cissé")


@pytest.fixture
def committee(db):
    """The five active members of the steering committee."""
    return [make_user(f"member{n}.committee@example.org", role="committee") for n in range(1, 6)]
