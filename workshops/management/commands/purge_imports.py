"""Delete the typed sheets of import previews nobody confirmed within a day."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from workshops.services.imports import purge_stale_imports


class Command(BaseCommand):
    help = "Delete uploaded sign-in sheets whose preview was left unconfirmed for a day."

    def handle(self, *args, **options) -> None:
        count = purge_stale_imports()
        self.stdout.write(f"{count} abandoned import(s) deleted.")
