"""The cast: the people every test may ask for by name, one meaning each.

| fixture | who |
| --- | --- |
| `anonymous` | a visitor who has not signed in (`None`: log nobody in) |
| `representative` | Mariam Touré, who represents organisation A (`organisation_a`) |
| `other_representative` | Ousmane Cissé, who represents organisation B (`organisation_b`) |
| `committee_member` | Oumar Diallo, of the steering committee |
| `committee` | the five active members of the steering committee |
| `applicant_committee_member` | a committee member who represents an applicant organisation |
| `secretariat` | Aminata Traoré, of the secretariat |
| `fes_partner` | Claudia Weber, staff of the Friedrich-Ebert-Stiftung (`fes`), a funder |
| `dcaf_partner` | Jean Dupont, staff of the DCAF (`dcaf`), another funder |
| `partner_without_organisation` | an account with the partner role and no funder |
| `admin_user` | Moussa Keïta, administrator |

Organisations A and B are made only when a test asks for them; a test that
needs an application in another state makes it with `make_application`.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from members.models import OrganisationKind
from tests.factories import (
    make_application,
    make_organisation,
    make_partner,
    make_user,
    pass_second_factor,
)

# What `@pytest.mark.needs(service, why)` may ask for, and how the run provides it.
SERVICES = {
    "postgresql": ("PostgreSQL (DATABASE_URL)", lambda: connection.vendor == "postgresql"),
    "redis": ("Redis (REDIS_URL)", lambda: "RedisCache" in settings.CACHES["default"]["BACKEND"]),
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that only makes sense with PostgreSQL or Redis is skipped with its
    reason without them (the embedded default), and fails in CI (CI=true), which
    provides both."""
    for marker in item.iter_markers("needs"):
        service, why = marker.args
        name, available = SERVICES[service]
        if not available():
            reason = f"needs {name}: {why}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _french_as_at_the_start_of_a_request():
    """Each test starts in the portal's default language: a page a previous test
    asked for in English leaves English active in this thread otherwise."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


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
    account with a second factor, its code, as allauth records them, and the
    first page after it seen (which keeps the account in the cache, so that
    query counts measure pages, not the first one after signing in)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        pass_second_factor(self, user)
        self.get("/privacy/")


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def representative(db):
    return make_user("representative@example.org", full_name="Mariam Touré")


@pytest.fixture
def organisation_a(representative):
    """Réseau A, whose draft application `representative` started."""
    return make_application(representative, name="Réseau A", acronym="RA").organisation


@pytest.fixture
def other_representative(db):
    return make_user("other.representative@example.org", full_name="Ousmane Cissé")


@pytest.fixture
def organisation_b(other_representative):
    """Réseau B, whose draft application `other_representative` started."""
    return make_application(other_representative, name="Réseau B", acronym="RB").organisation


@pytest.fixture
def committee_member(db):
    return make_user("committee1@example.org", role="committee", full_name="Oumar Diallo")


@pytest.fixture
def committee(db):
    """The five active members of the steering committee."""
    return [make_user(f"member{n}.committee@example.org", role="committee") for n in range(1, 6)]


@pytest.fixture
def applicant_committee_member(db):
    """A committee member whose own organisation's application awaits the committee."""
    user = make_user(
        "committee.applicant@example.org", role="committee", full_name="Sali Coulibaly"
    )
    make_application(user, status="submitted", name="Réseau du comité", acronym="RDC")
    return user


@pytest.fixture
def secretariat(db):
    return make_user("secretariat@example.org", role="secretariat", full_name="Aminata Traoré")


@pytest.fixture
def fes(db):
    return make_organisation("Friedrich-Ebert-Stiftung", "FES", kind=OrganisationKind.PARTNER)


@pytest.fixture
def dcaf(db):
    return make_organisation(
        "Centre pour la gouvernance du secteur de la sécurité",
        "DCAF",
        kind=OrganisationKind.PARTNER,
    )


@pytest.fixture
def fes_partner(fes):
    return make_partner(fes, "fes@example.org", full_name="Claudia Weber")


@pytest.fixture
def dcaf_partner(dcaf):
    return make_partner(dcaf, "dcaf@example.org", full_name="Jean Dupont")


@pytest.fixture
def partner_without_organisation(db):
    return make_user("lost@example.org", role="partner")


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.org", role="admin", full_name="Moussa Keïta")
