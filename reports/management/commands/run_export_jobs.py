"""Write the reports' large exports, one at a time, and delete those older than a day.

Run it beside the web server (a systemd service, or a second process in the
container): `manage.py run_export_jobs`. With `--once` it writes what is waiting
and stops, for cron or a test.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from reports.services import purge_expired_exports, take_next_export_job, write_export


class Command(BaseCommand):
    help = "Write the queued XLSX exports of large reports; delete those older than a day."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Stop when nothing waits.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        while True:
            purge_expired_exports()
            job = take_next_export_job()
            if job is not None:
                write_export(job)
                self.stdout.write(f"Export {job.pk}: {job.status}.")
            elif once:
                return
            else:
                time.sleep(interval)
