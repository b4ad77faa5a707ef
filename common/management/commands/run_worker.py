"""Run the tasks the portal enqueued: e-mails, large exports, clean-ups.

Run one or more beside the web server, on any machine that reaches the database
(`deploy/acrss-worker.service`; `make run` starts one). Ctrl-C or SIGTERM lets
the task in hand finish; a second one stops it (it is taken again later). With
`--batch` it runs what is ready, then stops.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from common.jobs import Worker


class Command(db_worker.Command):
    help = "Run the enqueued tasks; try failures again, take back those of dead workers."

    def handle(self, *, verbosity: int, reload: bool, batch: bool, **options) -> None:
        self.configure_logging(verbosity)
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = Worker(
            queue_names=queues,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
