"""`make run`'s demo data: every app's, loaded in order by the project's own app,
which sits above all of them (no app of ours imports it)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo as accounts_demo
from members import demo as members_demo
from reports import demo as reports_demo
from workshops import demo as workshops_demo


class Command(BaseCommand):
    help = "Load the demo data and accounts (debug mode only). Running it again changes nothing."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo data and accounts exist only in a demo database (DJANGO_DEBUG=1)."
            )
        accounts = accounts_demo.load_accounts()
        self.stdout.write(f"Demo organisations: {members_demo.load()}")
        self.stdout.write(workshops_demo.load())
        self.stdout.write(reports_demo.load())
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts (password: {accounts_demo.DEMO_PASSWORD})")
        )
        for email, role in accounts:
            self.stdout.write(f"  {email:<30} {role}")
