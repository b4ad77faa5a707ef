"""The reports' work done later: large exports, and deleting them after a day."""

from __future__ import annotations

import datetime

from django_tasks import task

from common.jobs import periodic, retried
from reports import background


# A failure (the database restarting under it, say) is tried again twice, a
# minute then two later; then its author reads that it failed.
@retried(
    tries=3,
    first_delay=datetime.timedelta(minutes=1),
    on_give_up="reports.background.give_up_export",
)
@task()
def write_export(job_id: int, generation: int) -> None:
    background.write_export(job_id, generation)


@periodic(every=datetime.timedelta(hours=1))
@task()
def purge_expired_exports() -> None:
    background.purge_expired_exports()
