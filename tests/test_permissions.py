"""Every page of the portal × every persona, against the table of who may see what.

A new URL fails this test until it is added to the table.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from checkin.links import make_token
from checkin.models import SelfCheckIn
from members import services
from tests.factories import PDF_BYTES, make_application, make_user
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import AttendanceImport, Outcome, WorkshopDocument, WorkshopPhoto

# The smallest valid PNG: one transparent pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

pytestmark = pytest.mark.django_db

SECRETARIAT_ONLY = [404, 404, 404, 404, 200, 404, 200]
# The workshop is FES's: its partner reads its reports, as the secretariat does.
FUNDERS_AND_SECRETARIAT = [404, 404, 404, 404, 200, 200, 200]
PERSONAS = [
    "anonymous",
    "representative",
    "other_representative",
    "committee",
    "secretariat",
    "partner",
    "admin",
]
OUR_APPS = ("acrss", "accounts", "members", "workshops", "reports", "checkin")

# name: (URL arguments, expected status for each persona in PERSONAS order)
# 302 for a visitor is the log-in page; 405 is a POST-only address.
TABLE = {
    "home": ((), [200, 200, 200, 200, 200, 200, 200]),
    "privacy": ((), [200, 200, 200, 200, 200, 200, 200]),
    "healthz": ((), [200, 200, 200, 200, 200, 200, 200]),
    "readyz": ((), [200, 200, 200, 200, 200, 200, 200]),
    "accounts:set-language": ((), [405, 405, 405, 405, 405, 405, 405]),
    "accounts:roles": ((), [302, 404, 404, 404, 200, 404, 200]),
    "accounts:dismiss-reminder": ((), [405, 405, 405, 405, 405, 405, 405]),
    "members:directory": ((), [200, 200, 200, 200, 200, 200, 200]),
    "members:mine": ((), [302, 200, 200, 200, 200, 200, 200]),
    "members:create": ((), [302, 302, 302, 200, 200, 200, 200]),
    "members:edit": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:add-document": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:submit": ((), [302, 302, 200, 404, 404, 404, 404]),
    "members:apply-again": ((), [302, 405, 405, 405, 405, 405, 405]),
    "members:invite": ((), [302, 200, 200, 404, 404, 404, 404]),
    "members:ask-for-invitation": ((), [302, 405, 405, 405, 405, 405, 405]),
    "members:join": (("token",), [302, 200, 200, 200, 200, 200, 200]),
    "members:document": (("application-document",), [302, 200, 404, 200, 200, 404, 200]),
    "members:remove-document": (("application-document",), [302, 200, 404, 404, 404, 404, 404]),
    "members:queue": ((), [302, 404, 404, 200, 200, 404, 200]),
    "members:application": (("application",), [302, 302, 404, 200, 200, 404, 200]),
    "members:vote": (("application",), [302, 405, 405, 405, 405, 405, 405]),
    "members:request-information": (("application",), [302, 403, 404, 200, 403, 404, 200]),
    "members:organisations": ((), [302, 404, 404, 200, 200, 404, 200]),
    "members:organisation": (("member",), [302, 404, 404, 200, 200, 404, 200]),
    "members:change-membership": (("member", "suspend"), [302, 404, 404, 200, 403, 404, 200]),
    "workshops:list": ((), [200, 200, 200, 200, 200, 200, 200]),
    "workshops:public": (("workshop",), [200, 200, 200, 200, 200, 200, 200]),
    "workshops:document-file": (("workshop", "document"), [200, 200, 200, 200, 200, 200, 200]),
    "workshops:photo-file": (("workshop", "photo"), [200, 200, 200, 200, 200, 200, 200]),
    **{
        name: (arguments, SECRETARIAT_ONLY)
        for name, arguments in [
            ("workshops:create", ()),
            ("workshops:manage", ("workshop",)),
            ("workshops:edit", ("workshop",)),
            ("workshops:register", ("workshop",)),
            ("workshops:attendance-edit", ("workshop", "attendance")),
            ("workshops:attendance-delete", ("workshop", "attendance")),
            ("workshops:presence", ("workshop",)),
            ("workshops:sign-in-sheet", ("workshop", "day")),
            ("workshops:import", ("workshop",)),
            ("workshops:outcome-add", ("workshop",)),
            ("workshops:outcome-edit", ("workshop", "outcome")),
            ("workshops:outcome-delete", ("workshop", "outcome")),
            ("workshops:document-add", ("workshop",)),
            ("workshops:document-delete", ("workshop", "document")),
            ("workshops:photo-add", ("workshop",)),
            ("workshops:photo-delete", ("workshop", "photo")),
            ("checkin:door", ("workshop",)),
            ("checkin:qr-code", ("workshop",)),
            ("checkin:certificates", ("workshop",)),
            ("checkin:all-pdf", ("workshop",)),
            ("checkin:certificate-pdf", ("workshop", "attendance")),
        ]
    },
    **{
        name: (arguments, [405, 405, 405, 405, 405, 405, 405])
        for name, arguments in [
            ("checkin:tick", ("workshop",)),
            ("checkin:untick", ("workshop",)),
            ("checkin:walk-in", ("workshop",)),
            ("checkin:entry-confirm", ("workshop", "self-check-in")),
            ("checkin:entry-merge", ("workshop", "self-check-in")),
            ("checkin:entry-reject", ("workshop", "self-check-in")),
            ("checkin:certificate-send", ("workshop", "attendance")),
        ]
    },
    # A participant's own check-in needs no account, on the day of its link.
    "checkin:self": (("check-in-token",), [200, 200, 200, 200, 200, 200, 200]),
    "checkin:self-thanks": (("check-in-token",), [200, 200, 200, 200, 200, 200, 200]),
    # Reports; the scope of each funder's staff is tabled in tests/reports/test_scope.py.
    **{
        name: (
            ("workshop",) if name.startswith("reports:workshop") else (),
            FUNDERS_AND_SECRETARIAT,
        )
        for name in [
            "reports:set",
            "reports:set-xlsx",
            "reports:set-figures-csv",
            "reports:set-list-csv",
            "reports:workshop",
            "reports:workshop-xlsx",
            "reports:workshop-figures-csv",
            "reports:workshop-list-csv",
        ]
    },
    # A pending import's preview, and a confirmed import's report.
    "workshops:import-preview": (("workshop", "pending-import"), SECRETARIAT_ONLY),
    "workshops:import-report": (("workshop", "confirmed-import"), SECRETARIAT_ONLY),
    "workshops:people": ((), SECRETARIAT_ONLY),
    "workshops:person-edit": (("person",), SECRETARIAT_ONLY),
    "workshops:person-merge": (("person",), SECRETARIAT_ONLY),
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
    representative,
    other_representative,
    committee_member,
    secretariat,
    fes,
    fes_partner,
    admin_user,
):
    application = make_application(representative, status="submitted", name="Réseau A")
    make_application(other_representative, name="Réseau B")
    member = make_application(make_user(), status="submitted", name="Réseau Membre")
    workshop = make_workshop(is_public=True, status="held")
    workshop.funders.set([fes])
    attendance = make_attendance(workshop, make_person("Awa Traoré"), workshop.start_date)
    pending = AttendanceImport.objects.create(
        workshop=workshop,
        file_name="feuille.csv",
        file=ContentFile(b"Nom et prenom;Sexe\nAwa Traore;F\n", name="feuille.csv"),
    )
    confirmed = AttendanceImport.objects.create(
        workshop=workshop,
        file_name="jour1.csv",
        status="confirmed",
        report={"counts": {"rows": 0}, "rows": []},
    )
    outcome = Outcome.objects.create(
        workshop=workshop, kind="decision", text="L'alliance est créée."
    )
    document = WorkshopDocument.objects.create(
        workshop=workshop,
        title="Note",
        is_public=True,
        content_type="application/pdf",
        file=ContentFile(PDF_BYTES, name="note.pdf"),
    )
    photo = WorkshopPhoto.objects.create(
        workshop=workshop,
        caption="Photo de famille",
        is_public=True,
        content_type="image/png",
        file=ContentFile(PNG_BYTES, name="photo.png"),
    )
    today = make_workshop("Atelier du jour", start_date=timezone.localdate())
    self_check_in = SelfCheckIn.objects.create(
        workshop=workshop, day=workshop.start_date, full_name="Fanta Coulibaly"
    )
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
            "application-document": application.organisation.documents.first().pk,
            "member": member.organisation.pk,
            "token": "not-a-real-token",
            "suspend": "suspend",
            "workshop": workshop.pk,
            "attendance": attendance.pk,
            "person": attendance.person_id,
            "pending-import": pending.pk,
            "confirmed-import": confirmed.pk,
            "outcome": outcome.pk,
            "document": document.pk,
            "photo": photo.pk,
            "day": 1,
            "self-check-in": self_check_in.pk,
            "check-in-token": make_token(today.pk, today.start_date),
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
