"""The admin shows every model of the portal and changes only what no service writes.

The read-only table is built from the admin's own registry, so a model
registered tomorrow is read-only in these tests until it is named below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from accounts.models import UsedSecondFactorCode
from audit.models import AuditAction, AuditEntry
from checkin.services import record_self_check_in, save_certificate_settings
from common.models import Job, OutgoingEmail, RateLimitCount, WorkerHeartbeat
from members import services
from members.models import Organisation, Theme
from reports.models import ExportJob
from tests.factories import PDF_BYTES, PNG_BYTES, make_application
from tests.workshops.factories import make_attendance, make_person, make_workshop
from workshops import models as summaries
from workshops.models import ImportMapping, Outcome, Project, WorkshopDocument, WorkshopPhoto
from workshops.services.imports import start_import

OUR_APPS = ["common", "accounts", "audit", "members", "workshops", "reports", "checkin"]
# Changed in the admin, but only through the service that checks and audits it.
THROUGH_SERVICES = {"accounts.User", "members.Organisation"}
# Written by no service and no page of the portal: set up in the admin.
SET_UP_IN_THE_ADMIN = {"workshops.Project"}


def our_models():
    return [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]


def read_only_models():
    registered = [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]
    return sorted(
        (
            model
            for model in registered
            if model._meta.label not in THROUGH_SERVICES | SET_UP_IN_THE_ADMIN
        ),
        key=lambda model: model._meta.label,
    )


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_each(representative, committee_member):
    """One record of every model of the portal, made as the portal makes them."""
    application = make_application(representative, status="submitted", name="Réseau A")
    vote = services.cast_vote(
        application, voter=committee_member, choice="reject", comment="Hors champ."
    )
    workshop = make_workshop(status="held")
    awa = make_person("Awa Traoré", organisation=application.organisation)
    attendance = make_attendance(workshop, awa, workshop.start_date)
    # A participant checks themselves in on the day of the workshop.
    with time_machine.travel(dt.datetime.combine(workshop.start_date, dt.time(9)), tick=False):
        self_check_in = record_self_check_in(
            workshop, day=workshop.start_date, full_name="Fanta Sow", consent=True
        )
    sheet = ContentFile("Nom;Sexe\nAwa Traoré;F\n".encode(), name="presence.csv")
    attendance_import = start_import(workshop, by=None, upload=sheet, day=None)
    examples = [
        representative,
        AuditEntry.objects.first(),
        application.organisation,
        application,
        application.organisation.documents.first(),
        application.organisation.representatives.first(),
        Theme.objects.first(),
        vote,
        Project.objects.create(name="Sécurité pour tous"),
        workshop,
        attendance.person,
        attendance,
        attendance.presences.first(),
        Outcome.objects.create(workshop=workshop, kind="decision", text="L'alliance est créée."),
        WorkshopDocument.objects.create(
            workshop=workshop,
            title="Note",
            content_type="application/pdf",
            file=ContentFile(PDF_BYTES, name="note.pdf"),
        ),
        WorkshopPhoto.objects.create(
            workshop=workshop,
            caption="Photo de famille",
            content_type="image/png",
            file=ContentFile(PNG_BYTES, name="photo.png"),
        ),
        self_check_in,
        attendance_import,
        ImportMapping.objects.create(header_key="nom|sexe", columns={"0": "last_name", "1": "sex"}),
        save_certificate_settings(
            workshop, by=None, signatory_name="Moussa Keïta", signatory_function="Coordinateur"
        ),
        # Kept by the database's triggers from the rows above.
        summaries.SummaryState.objects.get(),
        *(
            model.objects.first()
            for model in (
                summaries.AttendanceFact,
                summaries.ScopePerson,
                summaries.WorkshopSummary,
                summaries.ScopeSummary,
                summaries.WorkshopDay,
                summaries.WorkshopOrganisation,
                summaries.ScopeOrganisation,
            )
        ),
        ExportJob.objects.create(author=representative, language="fr", file_name="rapport.xlsx"),
        UsedSecondFactorCode.objects.create(user=representative, code="123456", used_at=now()),
        RateLimitCount.objects.create(key="ratelimit:example", count=1, expires_at=now()),
        OutgoingEmail.objects.create(kind="application_decided", to="awa@example.org"),
        WorkerHeartbeat.objects.create(worker_id="worker-1", beat_at=now()),
        Job.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="common.tasks.forget_old_records",
            backend_name="default",
            run_after=now(),
        ),
    ]
    return {example._meta.label: example for example in examples}


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.django_db
@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_each_admin_list_opens(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", read_only_models(), ids=lambda model: model._meta.label)
def test_an_admin_reads_but_cannot_add_change_or_delete_a_record(
    client, admin_user, one_of_each, model
):
    label = model._meta.label
    assert label in one_of_each, f"add a {label} to `one_of_each`"
    record = one_of_each[label]
    before = model_to_dict(model.objects.get(pk=record.pk))
    client.force_login(admin_user)

    assert client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert client.post(admin_url(model, "add"), {}).status_code == 403
    form = {name: value for name, value in before.items() if isinstance(value, str | int)}
    assert client.post(admin_url(model, "change", record.pk), form).status_code == 403
    assert client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model_to_dict(model.objects.get(pk=record.pk)) == before


@pytest.mark.django_db
def test_an_admin_closes_an_account_on_record_and_changes_nothing_else(
    client, admin_user, representative
):
    client.force_login(admin_user)
    response = client.post(
        admin_url(representative, "change", representative.pk),
        {"email": "someone.else@example.org", "is_superuser": "on", "full_name": "X"},
    )

    assert response.status_code == 302
    representative.refresh_from_db()
    assert not representative.is_active
    assert representative.email == "representative@example.org"
    assert not representative.is_superuser
    assert representative.full_name == "Mariam Touré"
    entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_DEACTIVATED)
    assert (entry.actor, entry.target_id) == (admin_user, str(representative.pk))


@pytest.mark.django_db
def test_an_admin_cannot_add_delete_or_set_the_password_of_an_account(
    client, admin_user, representative
):
    client.force_login(admin_user)
    model = type(representative)

    assert client.post(admin_url(model, "add"), {}).status_code == 403
    assert (
        client.post(admin_url(model, "delete", representative.pk), {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        reverse("admin:auth_user_password_change", args=[representative.pk]),
        {"password1": "a-new-long-password-9", "password2": "a-new-long-password-9"},
    )
    assert response.status_code == 403
    representative.refresh_from_db()
    assert representative.is_active
    assert representative.check_password("a-long-test-password-1")


ORGANISATION = {
    "name": "Fondation pour la Paix",
    "acronym": "FPP",
    "kind": "partner",
    "region": "bamako",
    "themes": [],
    # What the page sends for its list of representatives, shown read-only.
    "representatives-TOTAL_FORMS": "0",
    "representatives-INITIAL_FORMS": "0",
}


@pytest.mark.django_db
def test_an_admin_registers_a_funder_through_the_service_that_records_it(client, admin_user):
    client.force_login(admin_user)
    response = client.post(admin_url(Organisation, "add"), ORGANISATION)

    assert response.status_code == 302, response.context["adminform"].form.errors
    funder = Organisation.objects.get(name="Fondation pour la Paix")
    assert funder.name_key
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_REGISTERED)
    assert (entry.actor, entry.target_id) == (admin_user, str(funder.pk))


@pytest.mark.django_db
def test_an_admin_cannot_change_a_profile_the_committee_is_examining(
    client, admin_user, representative
):
    organisation = make_application(representative, status="submitted", name="Réseau A")
    organisation = organisation.organisation
    client.force_login(admin_user)
    client.post(
        admin_url(Organisation, "change", organisation.pk),
        {**ORGANISATION, "kind": "ngo", "name": "Autre nom"},
    )

    organisation.refresh_from_db()
    assert organisation.name == "Réseau A"
    assert not AuditEntry.objects.filter(action=AuditAction.ORGANISATION_UPDATED).exists()


@pytest.fixture
def listed_member(representative, committee):
    """Réseau A, a member listed in the directory, with its statutes and receipt."""
    application = make_application(
        representative, status="submitted", name="Réseau A", listed_in_directory=True
    )
    for voter in committee[:3]:
        services.cast_vote(application, voter=voter, choice="approve")
    return application.organisation


@pytest.mark.django_db
def test_an_admin_deletes_an_organisation_with_its_files_on_record(
    client, admin_user, listed_member, django_capture_on_commit_callbacks
):
    files = [Path(document.file.path) for document in listed_member.documents.all()]
    assert len(files) == 2
    assert all(path.exists() for path in files)
    assert "Réseau A" in Client().get("/directory/").content.decode()  # kept for visitors

    client.force_login(admin_user)
    url = admin_url(Organisation, "delete", listed_member.pk)
    assert "Réseau A" in client.get(url).content.decode()  # what goes with it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=listed_member.pk).exists()
    assert not any(path.exists() for path in files)
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_DELETED)
    assert (entry.actor, entry.target_id) == (admin_user, str(listed_member.pk))
    assert entry.data["name"] == "Réseau A"
    assert "Réseau A" not in Client().get("/directory/").content.decode()


@pytest.mark.django_db
def test_an_organisation_people_belong_to_is_not_deleted(client, admin_user, listed_member):
    make_person("Awa Traoré", organisation=listed_member)
    client.force_login(admin_user)

    response = client.post(admin_url(Organisation, "delete", listed_member.pk), {"post": "yes"})
    assert "Awa Traoré" in response.content.decode()  # named as what stands in the way
    with pytest.raises(services.MembershipError, match="rattachez-les"):
        services.delete_organisation(listed_member, by=admin_user)

    assert Organisation.objects.filter(pk=listed_member.pk).exists()
    assert listed_member.documents.count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.ORGANISATION_DELETED).exists()


@pytest.mark.django_db
def test_organisations_are_not_deleted_in_bulk(client, admin_user, listed_member):
    client.force_login(admin_user)
    response = client.get(admin_url(Organisation, "changelist"))
    assert "delete_selected" not in response.content.decode()
    response = client.post(
        admin_url(Organisation, "changelist"),
        {"action": "delete_selected", "_selected_action": [listed_member.pk], "post": "yes"},
    )
    assert Organisation.objects.filter(pk=listed_member.pk).exists()
