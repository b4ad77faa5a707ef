"""Every address of the portal × GET and POST × every persona, against the
table of who may do what.

The addresses come from the URL resolver: a new URL, or a method of it, fails
`test_every_url_of_the_portal_is_in_the_table` until it is tabled here.

The data is built once for the module, and every request runs in a savepoint
that is rolled back, so a POST that deletes or decides leaves the next
persona the same world. The figures (requests checked, unexpected allows) are
printed by `test_the_matrix_allows_nothing_it_should_not` (`pytest -s`).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from checkin.links import make_token
from checkin.models import SelfCheckIn
from members import services
from members.models import MembershipStatus, Representative
from reports.models import ExportJob, ExportStatus
from tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    make_application,
    make_failed_email,
    make_organisation,
    make_partner,
    make_user,
    pass_second_factor,
)
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops.models import (
    AttendanceImport,
    ImportStatus,
    Outcome,
    WorkshopDocument,
    WorkshopPhoto,
)

# The marker has the test database made; the matrix itself builds its data once.
pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "representative",  # of organisation A, whose application awaits the committee
    "other_representative",  # of organisation B, a draft never sent
    "committee_member",
    "applicant_committee_member",  # of the committee, and a representative of A
    "secretariat",
    "fes_partner",  # staff of the funder of the workshop
    "dcaf_partner",  # staff of another funder
    "admin_user",
]
OUR_APPS = ("acrss", "accounts", "members", "workshops", "reports", "checkin")

OK = "ok"  # allowed: 2xx, or a redirect somewhere other than the log-in page
LOGIN = "login"  # sent to the log-in page
REFUSALS = {LOGIN, 403, 404, 405}

# Rows follow PERSONAS: anon, rep A, rep B, committee, committee+A, secretariat,
# FES, DCAF, admin.
EVERYONE = [OK] * 9
NOBODY_BY_THIS_METHOD = [405] * 9
SIGNED_IN = [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK]
NOT_HERE = [LOGIN, 405, 405, 405, 405, 405, 405, 405, 405]
REPRESENTATIVES = [LOGIN, OK, OK, 404, OK, 404, 404, 404, 404]
REVIEWERS = [LOGIN, 404, 404, OK, OK, OK, 404, 404, OK]
SECRETARIAT = [LOGIN, 404, 404, 404, 404, OK, 404, 404, OK]
# The workshop is FES's: its staff read its report; DCAF's staff get 404.
FUNDER = [LOGIN, 404, 404, 404, 404, OK, OK, 404, OK]
# A report over a set: every funder's staff read it, scoped to their own workshops.
FUNDERS = [LOGIN, 404, 404, 404, 404, OK, OK, OK, OK]


def public_page():
    return {"GET": EVERYONE, "POST": NOBODY_BY_THIS_METHOD}


def read_only(row):
    return {"GET": row, "POST": NOT_HERE}


def form(row):
    return {"GET": row, "POST": row}


def post_only(row):
    return {"GET": NOT_HERE, "POST": row}


SECRETARIAT_PAGES = [
    ("workshops:create", ()),
    ("workshops:edit", ("workshop",)),
    ("workshops:register", ("workshop",)),
    ("workshops:attendance-edit", ("workshop", "attendance")),
    ("workshops:attendance-delete", ("workshop", "attendance")),
    ("workshops:presence", ("workshop",)),
    ("workshops:import", ("workshop",)),
    # A sheet waiting for its preview to be confirmed (or cancelled).
    ("workshops:import-preview", ("workshop", "pending-import")),
    ("workshops:outcome-add", ("workshop",)),
    ("workshops:outcome-edit", ("workshop", "outcome")),
    ("workshops:outcome-delete", ("workshop", "outcome")),
    ("workshops:document-add", ("workshop",)),
    ("workshops:document-delete", ("workshop", "document")),
    ("workshops:photo-add", ("workshop",)),
    ("workshops:photo-delete", ("workshop", "photo")),
    ("workshops:person-erase", ("person",)),
    ("workshops:people", ()),
    ("workshops:person-edit", ("person",)),
    ("workshops:person-merge", ("person",)),
    ("checkin:certificates", ("workshop",)),
]
# Pages that only show (or produce) something: a POST has nothing to do there.
SECRETARIAT_READS = [
    ("workshops:import-report", ("workshop", "confirmed-import")),
    ("checkin:door", ("workshop",)),
    ("checkin:qr-code", ("workshop",)),
    ("checkin:all-pdf", ("workshop",)),
    ("checkin:certificate-pdf", ("workshop", "attendance")),
]
# One tap at the door, or a decision on a self check-in: POST only.
SECRETARIAT_ACTIONS = [
    ("checkin:tick", ("workshop",)),
    ("checkin:untick", ("workshop",)),
    ("checkin:walk-in", ("workshop",)),
    ("checkin:entry-confirm", ("workshop", "self-check-in")),
    ("checkin:entry-merge", ("workshop", "self-check-in")),
    ("checkin:entry-reject", ("workshop", "self-check-in")),
    ("checkin:certificate-send", ("workshop", "attendance")),
]
REPORTS = ["reports:workshop"]
REPORT_EXPORTS = [
    "reports:workshop-xlsx",
    "reports:workshop-figures-csv",
    "reports:workshop-list-csv",
]
SET_REPORTS = ["reports:set"]
SET_EXPORTS = ["reports:set-xlsx", "reports:set-figures-csv", "reports:set-list-csv"]

# (URL name, the objects named in its arguments, {method: row})
TABLE = [
    ("home", (), public_page()),
    ("privacy", (), public_page()),
    # Probes for the load balancer: they answer whoever asks, and say nothing.
    ("healthz", (), form(EVERYONE)),
    ("readyz", (), form(EVERYONE)),
    ("accounts:dismiss-reminder", (), post_only(SIGNED_IN)),
    ("accounts:set-language", (), {"GET": NOBODY_BY_THIS_METHOD, "POST": EVERYONE}),
    ("accounts:roles", (), form(SECRETARIAT)),
    ("accounts:failed-emails", (), read_only(SECRETARIAT)),
    ("accounts:send-email-again", ("failed-email",), post_only(SECRETARIAT)),
    ("members:directory", (), public_page()),
    ("members:mine", (), read_only(SIGNED_IN)),
    ("members:create", (), form(SIGNED_IN)),
    ("members:edit", (), form(REPRESENTATIVES)),
    ("members:add-document", (), form(REPRESENTATIVES)),
    ("members:submit", (), form(REPRESENTATIVES)),
    ("members:apply-again", (), post_only(REPRESENTATIVES)),
    ("members:invite", (), form(REPRESENTATIVES)),
    # Someone whose organisation is already registered asks its representatives.
    ("members:ask-for-invitation", (), post_only(SIGNED_IN)),
    ("members:join", ("token",), form(SIGNED_IN)),
    # A's document: its representatives and the reviewers read it.
    ("members:document", ("document-a",), read_only([LOGIN, OK, 404, OK, OK, OK, 404, 404, OK])),
    # B's document, never sent: B's representative and admins only.
    (
        "members:document",
        ("document-b",),
        read_only([LOGIN, 404, OK, 404, 404, 404, 404, 404, OK]),
    ),
    # Reviewers may read A's document but not remove it: 403.
    (
        "members:remove-document",
        ("document-a",),
        form([LOGIN, OK, 404, 403, OK, 403, 404, 404, 403]),
    ),
    ("members:queue", (), read_only(REVIEWERS)),
    # A's own representative is sent to their organisation's page; a committee member
    # who represents A never meets it as a reviewer (404), the admin reads it.
    (
        "members:application",
        ("application-a",),
        read_only([LOGIN, OK, 404, OK, 404, OK, 404, 404, OK]),
    ),
    # B's draft: B's representative (sent to their page) and admins only.
    (
        "members:application",
        ("application-b",),
        read_only([LOGIN, 404, OK, 404, 404, 404, 404, 404, OK]),
    ),
    # Only a committee member who does not represent A votes or returns A's application;
    # the admin reads and corrects, but never votes (403).
    ("members:vote", ("application-a",), post_only([LOGIN, 403, 404, OK, 404, 403, 404, 404, 403])),
    (
        "members:request-information",
        ("application-a",),
        form([LOGIN, 403, 404, OK, 404, 403, 404, 404, 403]),
    ),
    (
        "members:vote",
        ("application-b",),
        post_only([LOGIN, 404, 403, 404, 404, 404, 404, 404, 403]),
    ),
    ("members:organisations", (), read_only(REVIEWERS)),
    ("members:organisation", ("member",), read_only(REVIEWERS)),
    # A, under review: not for the committee member who represents it.
    (
        "members:organisation",
        ("organisation-a",),
        read_only([LOGIN, 404, 404, OK, 404, OK, 404, 404, OK]),
    ),
    # B, a draft, is nobody's business but its own (and admins').
    (
        "members:organisation",
        ("organisation-b",),
        read_only([LOGIN, 404, 404, 404, 404, 404, 404, 404, OK]),
    ),
    (
        "members:change-membership",
        ("member", "suspend"),
        form([LOGIN, 404, 404, OK, OK, 403, 404, 404, 403]),
    ),
    ("workshops:list", (), public_page()),
    ("workshops:public", ("workshop",), public_page()),
    ("workshops:document-file", ("workshop", "document"), public_page()),
    ("workshops:photo-file", ("workshop", "photo"), public_page()),
    ("workshops:manage", ("workshop",), read_only(SECRETARIAT)),
    ("workshops:sign-in-sheet", ("workshop", "day"), read_only(SECRETARIAT)),
    ("workshops:person-export", ("person",), read_only(SECRETARIAT)),
    *[(name, arguments, form(SECRETARIAT)) for name, arguments in SECRETARIAT_PAGES],
    *[(name, arguments, read_only(SECRETARIAT)) for name, arguments in SECRETARIAT_READS],
    *[(name, arguments, post_only(SECRETARIAT)) for name, arguments in SECRETARIAT_ACTIONS],
    # A participant's own check-in needs no account, on the day of its link.
    ("checkin:self", ("check-in-token",), form(EVERYONE)),
    ("checkin:self-thanks", ("check-in-token",), public_page()),
    *[(name, ("workshop",), read_only(FUNDER)) for name in REPORTS],
    *[(name, (), read_only(FUNDERS)) for name in SET_REPORTS],
    # Exports answer POST only to confirm one too large for a request: refused here.
    *[
        (
            name,
            ("workshop",),
            {"GET": FUNDER, "POST": [LOGIN, 404, 404, 404, 404, 405, 405, 404, 405]},
        )
        for name in REPORT_EXPORTS
    ],
    *[
        (name, (), {"GET": FUNDERS, "POST": [LOGIN, 404, 404, 404, 404, 405, 405, 405, 405]})
        for name in SET_EXPORTS
    ],
    # A large export written in the background: its author's (here the secretariat's) alone.
    (
        "reports:export-job",
        ("export-job",),
        read_only([LOGIN, 404, 404, 404, 404, OK, 404, 404, 404]),
    ),
    (
        "reports:export-job-file",
        ("export-job",),
        read_only([LOGIN, 404, 404, 404, 404, OK, 404, 404, 404]),
    ),
]


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


def build_world() -> dict:
    representative = make_user("representative@example.org", full_name="Mariam Touré")
    other_representative = make_user("other.representative@example.org")
    committee_member = make_user("committee1@example.org", role="committee")
    applicant_committee_member = make_user("committee.applicant@example.org", role="committee")
    secretariat = make_user("secretariat@example.org", role="secretariat")
    fes = make_organisation("Friedrich-Ebert-Stiftung", "FES", kind="partner")
    dcaf = make_organisation("DCAF", "DCAF", kind="partner")
    users = {
        "anonymous": None,
        "representative": representative,
        "other_representative": other_representative,
        "committee_member": committee_member,
        "applicant_committee_member": applicant_committee_member,
        "secretariat": secretariat,
        "fes_partner": make_partner(fes, "fes@example.org"),
        "dcaf_partner": make_partner(dcaf, "dcaf@example.org"),
        "admin_user": make_user("admin@example.org", role="admin"),
    }
    application_a = make_application(representative, status="submitted", name="Réseau A")
    Representative.objects.create(
        organisation=application_a.organisation, user=applicant_committee_member
    )
    application_b = make_application(other_representative, name="Réseau B")
    organisation_b = application_b.organisation
    document_b = services.add_document(
        organisation_b,
        by=other_representative,
        kind="statutes",
        file=ContentFile(PDF_BYTES, name="statuts.pdf"),
        content_type="application/pdf",
    )
    member = make_application(make_user(), status="submitted", name="Réseau Membre")
    with override_settings(ACRSS_APPROVAL_QUORUM=1):
        services.cast_vote(member, voter=committee_member, choice="approve")
    member.organisation.refresh_from_db()
    assert member.organisation.membership_status == MembershipStatus.MEMBER

    workshop = make_workshop(is_public=True, status="held")
    workshop.funders.set([fes])
    person = make_person("Awa Traoré", birth_year=1990, phone="+22376000000")
    attendance = make_attendance(workshop, person, workshop.start_date)
    outcome = Outcome.objects.create(workshop=workshop, kind="decision", text="L'alliance.")
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
    pending_import = AttendanceImport.objects.create(
        workshop=workshop,
        file_name="feuille.csv",
        file=ContentFile(b"Nom et prenom;Sexe\nAwa Traore;F\n", name="feuille.csv"),
    )
    confirmed_import = AttendanceImport.objects.create(
        workshop=workshop,
        file_name="jour1.csv",
        status=ImportStatus.CONFIRMED,
        report={"counts": {"rows": 0}, "rows": []},
    )
    export_job = ExportJob.objects.create(
        author=secretariat,
        language="fr",
        status=ExportStatus.DONE,
        file_name="rapport.xlsx",
        file=ContentFile(b"PK", name="rapport.xlsx"),
    )
    failed_email = make_failed_email()
    today = make_workshop("Atelier du jour", start_date=timezone.localdate())
    self_check_in = SelfCheckIn.objects.create(
        workshop=workshop, day=workshop.start_date, full_name="Fanta Coulibaly"
    )
    arguments = {
        "application-a": application_a.pk,
        "application-b": application_b.pk,
        "document-a": application_a.organisation.documents.first().pk,
        "document-b": document_b.pk,
        "organisation-a": application_a.organisation.pk,
        "organisation-b": organisation_b.pk,
        "member": member.organisation.pk,
        "token": "not-a-real-token",
        "suspend": "suspend",
        "workshop": workshop.pk,
        "attendance": attendance.pk,
        "outcome": outcome.pk,
        "document": document.pk,
        "photo": photo.pk,
        "person": person.pk,
        "day": 1,
        "pending-import": pending_import.pk,
        "confirmed-import": confirmed_import.pk,
        "export-job": export_job.pk,
        "failed-email": failed_email.pk,
        "self-check-in": self_check_in.pk,
        "check-in-token": make_token(today.pk, today.start_date),
    }
    return {"users": users, "arguments": arguments}


def outcome_of(response) -> str | int:
    if response.status_code in (301, 302):
        return LOGIN if response["Location"].startswith(reverse("account_login")) else OK
    if 200 <= response.status_code < 300:
        return OK
    return response.status_code


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """{(row number, method, persona): (expected, got)}, for every cell of TABLE."""
    media = tmp_path_factory.mktemp("media")
    cells = {}
    # One client sends every request: the self check-in's limit per phone would
    # answer 429 once Redis has counted a few (Redis keeps no rollback).
    no_limit = override_settings(MEDIA_ROOT=media, ACRSS_SELF_CHECK_IN_PER_DEVICE=10_000)
    with django_db_blocker.unblock(), no_limit, transaction.atomic():
        world = build_world()
        client = Client(raise_request_exception=False)
        for number, (name, argument_names, rows) in enumerate(TABLE):
            url = reverse(name, args=[world["arguments"][a] for a in argument_names])
            for method, row in rows.items():
                for persona, expected in zip(PERSONAS, row, strict=True):
                    with transaction.atomic():
                        client.logout()
                        if user := world["users"][persona]:
                            client.force_login(user)
                            pass_second_factor(client, user)
                        response = getattr(client, method.lower())(url)
                        cells[number, method, persona] = (expected, outcome_of(response))
                        transaction.set_rollback(True)
        transaction.set_rollback(True)
    return cells


def test_every_url_of_the_portal_is_in_the_table():
    tabled = {name for name, _arguments, _rows in TABLE}
    assert our_url_names() == tabled
    for name, _arguments, rows in TABLE:
        assert set(rows) == {"GET", "POST"}, name


@pytest.mark.parametrize("number", range(len(TABLE)), ids=[f"{n}{a}" for n, a, _r in TABLE])
def test_each_persona_gets_what_the_table_says(matrix, number):
    got = {
        (method, persona): cell[1]
        for (row, method, persona), cell in matrix.items()
        if row == number
    }
    expected = {
        (method, persona): cell[0]
        for (row, method, persona), cell in matrix.items()
        if row == number
    }
    assert got == expected


def test_the_matrix_allows_nothing_it_should_not(matrix):
    unexpected_allows = [
        (TABLE[row][0], method, persona)
        for (row, method, persona), (expected, got) in matrix.items()
        if expected in REFUSALS and got == OK
    ]
    print(
        f"\naccess matrix: {len(matrix)} requests checked, "
        f"{len(unexpected_allows)} unexpected allows"
    )
    assert len(matrix) == sum(len(rows) * len(PERSONAS) for _n, _a, rows in TABLE)
    assert unexpected_allows == []
