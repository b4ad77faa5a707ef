"""Who may read which report: every report URL against every kind of partner.

Anyone signed in with no business with a report gets 404, so a workshop's
existence is never revealed; a visitor is sent to log in.
(tests/test_permissions.py checks that every URL is tabled.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "representative",
    "committee_member",
    "partner_without_organisation",
    "dcaf_partner",
    "fes_partner",
    "secretariat",
    "admin_user",
]
# URL name → persona → expected status, for the founding workshop (FES-funded).
EVERYONE_BUT_STAFF = {
    "anonymous": 302, "representative": 404, "committee_member": 404,
    "partner_without_organisation": 404,
}  # fmt: skip
WORKSHOP = {**EVERYONE_BUT_STAFF, "dcaf_partner": 404, "fes_partner": 200, "secretariat": 200,
            "admin_user": 200}  # fmt: skip
SET = {**EVERYONE_BUT_STAFF, "dcaf_partner": 200, "fes_partner": 200, "secretariat": 200,
       "admin_user": 200}  # fmt: skip
TABLE = {
    "reports:set": SET,
    "reports:set-xlsx": SET,
    "reports:set-figures-csv": SET,
    "reports:set-list-csv": SET,
    "reports:workshop": WORKSHOP,
    "reports:workshop-xlsx": WORKSHOP,
    "reports:workshop-figures-csv": WORKSHOP,
    "reports:workshop-list-csv": WORKSHOP,
}


@pytest.fixture
def persona(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_persona_gets_the_expected_status(client, example, persona, url_name, request):
    if persona is not None:
        client.force_login(persona)
    args = [example.founding.pk] if url_name.startswith("reports:workshop") else []
    response = client.get(reverse(url_name, args=args))
    persona_name = request.node.callspec.params["persona"]
    assert response.status_code == TABLE[url_name][persona_name]


def test_a_partner_of_another_funder_sees_nothing_of_fes_workshops(client, dcaf_partner, example):
    client.force_login(dcaf_partner)
    figures = client.get("/reports/").context["figures"]
    assert [row["title"] for row in figures.rows] == ["Formation DCAF"]
    assert figures.participants == 1
    body = b"".join(client.get("/reports/list.csv").streaming_content).decode()
    assert "Awa Traoré" not in body
    assert "Fanta Sow" in body
    # Nor are FES's projects offered in the filter.
    html = client.get("/reports/").content.decode()
    assert "Sécurité pour tous" not in html
    assert client.get(f"/reports/workshops/{example.training.pk}/export.xlsx").status_code == 404


def test_fes_reads_a_workshop_funded_through_its_project_or_directly(client, fes_partner, example):
    client.force_login(fes_partner)
    assert client.get(f"/reports/workshops/{example.founding.pk}/").status_code == 200
    assert client.get(f"/reports/workshops/{example.training.pk}/").status_code == 200
    assert client.get(f"/reports/workshops/{example.dcaf_training.pk}/").status_code == 404


def test_an_export_writes_who_which_filter_and_how_many_rows(client, fes_partner, example):
    client.force_login(fes_partner)
    response = client.get("/reports/export.xlsx", {"project": example.project.pk})
    assert response.status_code == 200

    entry = AuditEntry.objects.get(action=AuditAction.REPORT_EXPORTED)
    assert entry.actor == fes_partner
    assert entry.data == {
        "format": "xlsx",
        "filter": {"project": "Sécurité pour tous"},
        "rows": 4,
    }


def test_the_reports_entry_is_shown_to_partners_and_the_secretariat_only(
    client, fes_partner, representative
):
    client.force_login(fes_partner)
    assert 'href="/reports/"' in client.get("/").content.decode()
    client.force_login(representative)
    assert 'href="/reports/"' not in client.get("/").content.decode()
