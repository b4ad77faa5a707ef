"""The tasks of the portal's shared parts: sending owed e-mails, and forgetting old
records of sent e-mails and finished tasks."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from common import delivery
from common.jobs import Job, WorkerHeartbeat, periodic, retried

# Finished tasks stay this long for whoever looks at the queue, then go.
FINISHED_TASKS_KEPT = datetime.timedelta(days=7)


# Five tries over about an hour (waits of 4, 8, 16 and 32 minutes), then the
# secretariat sees it among the e-mails not sent.
@retried(
    tries=5,
    first_delay=datetime.timedelta(minutes=4),
    on_give_up="common.delivery.record_undelivered",
)
@task()
def deliver_email(email_id: int) -> None:
    delivery.deliver(email_id)


@periodic(every=datetime.timedelta(days=1))
@task()
def forget_old_records() -> None:
    delivery.forget_sent_emails()
    before = timezone.now() - FINISHED_TASKS_KEPT
    Job.objects.finished().filter(finished_at__lt=before).delete()
    WorkerHeartbeat.objects.filter(beat_at__lt=before).delete()
