"""How the test run executes tasks, and how a test runs the real worker."""

from __future__ import annotations

import socket

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


def owe_one_email(user) -> None:
    """A notice to the user that many wrong passwords were typed for their account."""
    from common.mail import send_to_address

    send_to_address(
        user.email, language="fr", template="sign_in_failures", context={"failures": 10}
    )


def refuse_mail(settings) -> None:
    """Aim the SMTP backend at a port of this machine where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
