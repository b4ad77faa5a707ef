"""Erase the identity of people kept longer than ACRSS_RETENTION_YEARS.

Run it from a daily timer; it says what it did. Their sex, organisation,
region, roles, presence and age group at each workshop stay, so the reports
do not change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from workshops.services.privacy import apply_retention


class Command(BaseCommand):
    help = "Erase the identity of people whose last workshop is older than the retention period."

    def handle(self, *args, **options) -> None:
        years = settings.ACRSS_RETENTION_YEARS
        if years is None:
            self.stdout.write("ACRSS_RETENTION_YEARS is empty: everyone is kept, nobody erased.")
            return
        erased = apply_retention()
        self.stdout.write(
            f"Retention of {years} years: {len(erased)} people erased"
            + (f" (ids {', '.join(map(str, erased))})." if erased else ".")
        )
