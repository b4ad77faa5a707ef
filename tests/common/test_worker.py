"""The worker: it waits out a database that stops answering, takes again the tasks of
a worker that died, and enqueues the clean-ups when they are due."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError

from common import jobs
from common.jobs import Job
from tests.tasks import ON_THE_DATABASE, owe_one_email, run_worker

pytestmark = pytest.mark.django_db

PERIODIC = {
    "common.tasks.forget_old_records",
    "reports.tasks.purge_expired_exports",
    "workshops.tasks.purge_stale_imports",
    "workshops.tasks.apply_retention",
}


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings):
    settings.TASKS = ON_THE_DATABASE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_worker_waits_out_a_database_that_stops_answering(representative):
    owe_one_email(representative)
    take = jobs.Worker.take_next_job
    outage = [OperationalError("server closed the connection unexpectedly")] * 4
    waits = []

    def down_for_a_while(worker):
        if outage:
            raise outage.pop()
        return take(worker)

    with (
        mock.patch.object(jobs.Worker, "take_next_job", down_for_a_while),
        mock.patch.object(jobs.time, "sleep", waits.append),
        mock.patch.object(jobs.connections, "close_all") as reconnect,
    ):
        run_worker()

    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert reconnect.call_count == 4
    assert len(mail.outbox) == 1


def test_a_failed_try_waits_longer_each_time():
    policy = jobs.retry_of("common.tasks.deliver_email")
    assert policy.tries == 5
    waits = [policy.delay_after(tries) for tries in range(1, policy.tries)]
    assert waits == [dt.timedelta(minutes=m) for m in (4, 8, 16, 32)]
    assert sum(waits, dt.timedelta()) == dt.timedelta(hours=1)


def test_a_task_that_kills_its_worker_every_time_ends_failed(representative, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    owe_one_email(representative)
    job = Job.objects.get(task_path="common.tasks.deliver_email")
    for dead in range(5):
        job.refresh_from_db()
        job.claim(f"dead-{dead}")
        time_machine.shift(dt.timedelta(minutes=2))
        jobs.take_abandoned_jobs(this_worker="alive")
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.exception_class_path == "common.jobs.WorkerLost"
    assert mail.outbox == []


def test_the_clean_ups_are_enqueued_once_per_period(time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    run_worker()
    run_worker()
    assert set(Job.objects.values_list("task_path", flat=True)) == PERIODIC
    assert Job.objects.count() == len(PERIODIC)
    assert set(Job.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    time_machine.shift(dt.timedelta(hours=1, seconds=1))
    run_worker()
    hourly = Job.objects.filter(enqueued_at__gt=dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC))
    assert sorted(hourly.values_list("task_path", flat=True)) == [
        "reports.tasks.purge_expired_exports",
        "workshops.tasks.purge_stale_imports",
    ]
