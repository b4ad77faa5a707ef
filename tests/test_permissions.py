"""Every page of the portal × every persona, against the table of who may see what.

A new URL fails this test until it is added to the table.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members import services
from tests.factories import make_application, make_user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "representative",
    "other_representative",
    "committee",
    "secretariat",
    "partner",
    "admin",
]
OUR_APPS = ("acrss", "accounts", "members", "workshops")

# name: (URL arguments, expected status for each persona in PERSONAS order)
# 302 for a visitor is the log-in page; 405 is a POST-only address.
TABLE = {
    "home": ((), [200, 200, 200, 200, 200, 200, 200]),
    "privacy": ((), [200, 200, 200, 200, 200, 200, 200]),
    "accounts:set-language": ((), [405, 405, 405, 405, 405, 405, 405]),
    "members:directory": ((), [200, 200, 200, 200, 200, 200, 200]),
    "members:mine": ((), [302, 200, 200, 200, 200, 200, 200]),
    "members:create": ((), [302, 302, 302, 200, 200, 200, 200]),
    "members:edit": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:add-document": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:submit": ((), [302, 302, 200, 404, 404, 404, 404]),
    "members:invite": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:join": (("token",), [302, 200, 200, 200, 200, 200, 200]),
    "members:document": (("document",), [302, 200, 404, 200, 200, 404, 200]),
    "members:remove-document": (("document",), [302, 200, 404, 404, 404, 404, 404]),
    "members:queue": ((), [302, 404, 404, 200, 200, 404, 200]),
    "members:application": (("application",), [302, 302, 404, 200, 200, 404, 200]),
    "members:vote": (("application",), [302, 405, 405, 405, 405, 405, 405]),
    "members:request-information": (("application",), [302, 403, 404, 200, 403, 404, 200]),
    "members:organisations": ((), [302, 404, 404, 200, 200, 404, 200]),
    "members:organisation": (("member",), [302, 404, 404, 200, 200, 404, 200]),
    "members:change-membership": (("member", "suspend"), [302, 404, 404, 200, 403, 404, 200]),
}


def our_url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_module, "__name__", "")
            if module.split(".")[0] in OUR_APPS:
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                names |= our_url_names(pattern, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and pattern.callback.__module__.split(".")[0] in OUR_APPS
        ):
            names.add(namespace + pattern.name)
    return names


@pytest.fixture
def world(
    representative, other_representative, committee_member, secretariat, fes_partner, admin_user
):
    application = make_application(representative, status="submitted", name="Réseau A")
    make_application(other_representative, name="Réseau B")
    member = make_application(make_user(), status="submitted", name="Réseau Membre")
    # The only committee member makes the quorum alone.
    services.cast_vote(member, voter=committee_member, choice="approve")
    return {
        "users": {
            "anonymous": None,
            "representative": representative,
            "other_representative": other_representative,
            "committee": committee_member,
            "secretariat": secretariat,
            "partner": fes_partner,
            "admin": admin_user,
        },
        "arguments": {
            "application": application.pk,
            "document": application.organisation.documents.first().pk,
            "member": member.organisation.pk,
            "token": "not-a-real-token",
            "suspend": "suspend",
        },
    }


def test_every_url_of_the_portal_is_in_the_table():
    assert our_url_names() == set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_what_the_table_says(client, world, name):
    arguments, expected = TABLE[name]
    url = reverse(name, args=[world["arguments"][argument] for argument in arguments])
    got = []
    for persona in PERSONAS:
        client.logout()
        if user := world["users"][persona]:
            client.force_login(user)
        got.append(client.get(url).status_code)
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))
