"""E-mails are owed with the change that causes them, sent by the worker, tried again
while the mail server refuses, then listed for the secretariat to send again; each
reaches its recipient once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from common.delivery import deliver
from common.jobs import Job
from common.models import OutgoingEmail
from tests.factories import make_application, make_failed_email
from tests.tasks import ON_THE_DATABASE, owe_one_email, refuse_mail, run_worker

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def refusing_mail_server(settings):
    refuse_mail(settings)


@pytest.fixture
def tasks_in_the_database(settings):
    settings.TASKS = ON_THE_DATABASE


def test_a_decision_taken_while_the_mail_server_refuses_is_kept_and_told_once(
    client,
    representative,
    committee,
    secretariat,
    settings,
    tasks_in_the_database,
    refusing_mail_server,
    time_machine,
):
    settings.ACRSS_APPROVAL_QUORUM = 1
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    application = make_application(representative, status="submitted")
    client.force_login(committee[0])

    page = client.post(
        reverse("members:vote", args=[application.pk]), {"choice": "approve"}, follow=True
    )

    assert page.status_code == 200
    application.refresh_from_db()
    assert application.status == "approved"
    owed = OutgoingEmail.objects.get(kind="application_decided")
    assert owed.to == representative.email

    # Five tries over about an hour, none before its time.
    run_worker()
    run_worker()
    owed.refresh_from_db()
    assert (owed.tries, owed.failed_at) == (1, None)
    assert "ConnectionRefusedError" in owed.last_error
    for minutes in (4, 8, 16, 32):
        time_machine.shift(dt.timedelta(minutes=minutes, seconds=1))
        run_worker()
    owed.refresh_from_db()
    assert owed.tries == 5
    assert owed.failed_at is not None
    assert owed.sent_at is None

    client.force_login(secretariat)
    listed = client.get(reverse("accounts:failed-emails")).content.decode()
    assert representative.email in listed
    assert "Envoyer de nouveau" in listed

    # The mail server answers again; the secretariat clicks twice.
    settings.EMAIL_BACKEND = LOCMEM
    send_again = reverse("accounts:send-email-again", args=[owed.pk])
    client.post(send_again)
    second = client.post(send_again, follow=True).content.decode()
    assert "Cet e-mail est déjà en cours d’envoi." in second
    run_worker()
    run_worker()

    assert [(m.to, m.subject) for m in mail.outbox] == [([representative.email], owed.subject)]
    assert "Bienvenue" in owed.subject
    owed.refresh_from_db()
    assert owed.sent_at is not None
    assert owed.body == ""  # what was said goes once it is sent
    assert owed.subject not in client.get(reverse("accounts:failed-emails")).content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.EMAIL_SENT_AGAIN).count() == 1


def test_a_task_whose_worker_died_after_sending_sends_nothing_more(
    representative, settings, tasks_in_the_database, time_machine
):
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.EMAIL_BACKEND = LOCMEM
    owe_one_email(representative)
    owed = OutgoingEmail.objects.get()
    # A worker takes the task, sends the e-mail, and dies before recording the task's end.
    Job.objects.get(task_path="common.tasks.deliver_email").claim("a-worker-that-died")
    deliver(owed.pk)
    assert len(mail.outbox) == 1

    time_machine.shift(dt.timedelta(seconds=61))
    run_worker()

    job = Job.objects.get(task_path="common.tasks.deliver_email")
    assert job.status == "SUCCESSFUL"
    assert job.worker_ids[0] == "a-worker-that-died"
    assert len(job.worker_ids) == 2
    assert len(mail.outbox) == 1


def test_a_task_whose_worker_died_is_taken_again_at_once(
    representative, settings, tasks_in_the_database, time_machine
):
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    settings.EMAIL_BACKEND = LOCMEM
    owe_one_email(representative)
    Job.objects.get(task_path="common.tasks.deliver_email").claim("a-worker-that-died")
    run_worker()
    assert mail.outbox == []  # its worker may still be alive: a minute without a heartbeat

    time_machine.shift(dt.timedelta(seconds=61))
    run_worker()
    assert [message.to for message in mail.outbox] == [[representative.email]]


def test_a_sign_up_confirmation_is_owed_even_when_the_mail_server_refuses(
    client, refusing_mail_server, django_capture_on_commit_callbacks
):
    secret = "un-long-secret-2026"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "awa@example.org", "password1": secret, "password2": secret},
        )
    assert response.status_code == 302
    owed = OutgoingEmail.objects.get(to="awa@example.org")
    assert owed.kind.startswith("account/email/email_confirmation")
    assert owed.sent_at is None
    assert "ConnectionRefusedError" in owed.last_error


def test_the_failed_emails_page_reads_in_english(client, secretariat, settings):
    make_failed_email(subject="Decision")
    client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:failed-emails"))
    text = page.content.decode()
    assert "E-mails not sent" in text
    assert "Send again" in text
    assert "(5 tries)" in text
