"""How the test run executes tasks, and how a test runs the real worker."""

from __future__ import annotations

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# The database backend, for the tests of the worker itself (`settings.TASKS = ...`).
ON_THE_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class ImmediateOnCommitBackend(ImmediateBackend):
    """django-tasks' immediate backend, run when the enqueuing transaction commits:
    a worker finds a task only then, and never one whose transaction rolled back."""

    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._execute_task(result))
        return result


def run_worker() -> None:
    """The portal's worker, until nothing is ready."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def as_committed():
    """Run what the block enqueues as if its transaction committed (a test's never does)."""
    return TestCase.captureOnCommitCallbacks(execute=True)
