"""Work done once, later: what Django's task interface, on the database, leaves out.

Tasks are declared with Django's `@task` (the `django-tasks` backport until
Django 6) and stored by `django-tasks-db`: a row per task in the portal's own
database, written in the transaction of the change that owes it, claimed by one
worker with a row lock (`SKIP LOCKED` on PostgreSQL, an exclusive transaction on
SQLite). That backend runs each task once and records the outcome; this module
adds, for `manage.py run_worker`:

- tries again a task that failed, after a delay that doubles (`retried`), and
  calls its `on_give_up` once the last try failed;
- takes again a task whose worker died: every worker writes a heartbeat, and a
  task still "running" under a worker whose heartbeat stopped is ready again
  (counted as a try, so a task that kills its worker ends failed);
- waits out a database that does not answer, instead of exiting;
- enqueues the periodic tasks (`periodic`) when they are due.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from traceback import format_exception

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception, retry

logger = logging.getLogger(__name__)

# A worker writes its heartbeat this often, and is taken for dead after this long without.
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
WORKER_LOST_AFTER = datetime.timedelta(seconds=60)
# While the database does not answer, the worker asks again after 1, 2, 4 … 30 s.
OUTAGE_LONGEST_WAIT = 30.0


@dataclass(frozen=True)
class Retry:
    """How often a task is tried, and how long it waits between tries (doubling)."""

    tries: int = 1
    first_delay: datetime.timedelta = datetime.timedelta(minutes=1)
    on_give_up: Callable | str | None = None

    def give_up(self, *args, **kwargs) -> None:
        if self.on_give_up is not None:
            hook = self.on_give_up
            (import_string(hook) if isinstance(hook, str) else hook)(*args, **kwargs)

    def delay_after(self, tries: int) -> datetime.timedelta:
        return self.first_delay * 2 ** (tries - 1)


# Tries of a task declared without a policy: a worker dying under it is survived twice.
UNDECLARED = Retry(tries=3)
_retries: dict[str, Retry] = {}
_periodic: dict[str, tuple[Task, datetime.timedelta]] = {}


def retried(
    *, tries: int, first_delay: datetime.timedelta, on_give_up: Callable | str | None = None
) -> Callable[[Task], Task]:
    """Declare a task's tries: `@retried(...)` above `@task()`. `on_give_up` (or its
    dotted path) receives the task's arguments once its last try failed, in the
    transaction recording it."""

    def declare(task: Task) -> Task:
        _retries[task.module_path] = Retry(tries, first_delay, on_give_up)
        return task

    return declare


def periodic(every: datetime.timedelta) -> Callable[[Task], Task]:
    """Declare a task (of no arguments) that the workers enqueue once per period."""

    def declare(task: Task) -> Task:
        _periodic[task.module_path] = (task, every)
        return task

    return declare


def retry_of(task_path: str) -> Retry:
    try:
        import_string(task_path)  # its module declares its policy
    except ImportError:
        return UNDECLARED
    return _retries.get(task_path, UNDECLARED)


class Job(DBTaskResult):
    """A task's row, as the portal's worker reads it: a failure is tried again while
    the task has tries left."""

    class Meta:
        proxy = True
        verbose_name = "task"

    @property
    def tries(self) -> int:
        return len(self.worker_ids)

    @retry()
    def set_failed(self, exc: BaseException) -> None:
        self.fail_or_retry(exc)

    def fail_or_retry(self, exc: BaseException, *, wait: bool = True) -> bool:
        """Ready again (after its delay, or at once), or failed for good; False when the
        row changed meanwhile (another worker took it again)."""
        policy = retry_of(self.task_path)
        now = timezone.now()
        error = {
            "exception_class_path": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "traceback": "".join(format_exception(exc)),
            "return_value": None,
        }
        if self.tries < policy.tries:
            delay = policy.delay_after(self.tries) if wait else datetime.timedelta(0)
            changes = {"status": TaskResultStatus.READY, "run_after": now + delay}
        else:
            changes = {"status": TaskResultStatus.FAILED, "finished_at": now}
        with transaction.atomic():
            changed = Job.objects.filter(
                pk=self.pk, status=TaskResultStatus.RUNNING, started_at=self.started_at
            ).update(**error, **changes)
            if changed and changes["status"] == TaskResultStatus.FAILED:
                policy.give_up(*self.args_kwargs["args"], **self.args_kwargs["kwargs"])
        for name, value in {**error, **changes}.items():
            setattr(self, name, value)
        return bool(changed)


class WorkerLost(Exception):
    """What a task whose worker stopped beating is recorded as having raised."""


class WorkerHeartbeat(models.Model):
    """When each worker last said it was alive (`run_worker`)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


def take_abandoned_jobs(*, this_worker: str) -> int:
    """Make ready again at once (or failed, past its tries) every task running for
    a minute under a worker silent for a minute, and those this worker, between two
    tasks, left running when the database failed under it; return how many."""
    lost_before = timezone.now() - WORKER_LOST_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=lost_before).values_list("worker_id", flat=True)
    ) - {this_worker}
    taken = 0
    for job in Job.objects.running():
        worker = job.worker_ids[-1] if job.worker_ids else ""
        if worker in alive or (worker != this_worker and job.started_at >= lost_before):
            continue
        lost = WorkerLost(f"worker {worker} stopped while running this task")
        if job.fail_or_retry(lost, wait=False):
            logger.warning("Task %s (%s) taken again: its worker stopped.", job.pk, job.task_path)
            taken += 1
    return taken


def enqueue_due_periodic_tasks() -> None:
    """Enqueue each periodic task not enqueued within its period. Two workers looking
    at the same instant may both enqueue it: periodic tasks only clean up, so a second
    run finds nothing to do."""
    now = timezone.now()
    for path, (task, every) in _periodic.items():
        if not Job.objects.filter(task_path=path, enqueued_at__gte=now - every).exists():
            task.enqueue()


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": timezone.now()}
    )


class Worker(db_worker.Worker):
    """django-tasks-db's worker, with the portal's retries, heartbeats and periodic
    tasks, surviving a database that stops answering."""

    def run(self) -> None:
        autodiscover_modules("tasks")  # every app's tasks, their policies and periods
        logger.info("Worker %s started.", self.worker_id)
        heart = _Heart(self.worker_id)
        heart.start()
        wait = 1.0
        looked_after = 0.0
        try:
            while self.running:
                try:
                    if time.monotonic() - looked_after >= HEARTBEAT_EVERY.total_seconds():
                        self.look_after_the_queue()
                        looked_after = time.monotonic()
                    job = self.take_next_job()
                    if job is not None:
                        self.run_task(job)
                    wait = 1.0
                except (InterfaceError, OperationalError) as error:
                    logger.warning(
                        "Database unavailable (%s); asking again in %.0f s.", error, wait
                    )
                    connections.close_all()
                    time.sleep(wait)
                    wait = min(wait * 2, OUTAGE_LONGEST_WAIT)
                    looked_after = 0.0  # then take back what the outage left running
                    continue
                if self.batch and job is None:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and job is None:
                    time.sleep(self.interval)
        finally:
            heart.stop()

    def look_after_the_queue(self) -> None:
        beat(self.worker_id)
        take_abandoned_jobs(this_worker=self.worker_id)
        enqueue_due_periodic_tasks()

    def take_next_job(self) -> Job | None:
        jobs = Job.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(jobs.db):
                job = jobs.get_locked()
                if job is not None:
                    job.claim(self.worker_id)
                return job
        except DatabaseError as error:
            if is_locked_database_exception(error):  # SQLite, busy: next turn
                return None
            raise


class _Heart(threading.Thread):
    """Beats while the worker runs a long task, on its own connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY.total_seconds()):
                try:
                    beat(self.worker_id)
                except DatabaseError:
                    connection.close()  # the main loop reports the outage
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)
