"""Install the report summaries' triggers and count every sum afresh."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from workshops.summaries import rebuild_summaries


class Command(BaseCommand):
    help = (
        "Install the triggers that keep the report figures and count every sum afresh "
        "(after a change of ACRSS_YOUTH_MAX_AGE, or a load that went around the triggers)."
    )

    def handle(self, *args, **options) -> None:
        rebuild_summaries()
        self.stdout.write(self.style.SUCCESS("Summaries rebuilt."))
