from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backups import BackupError, write_backup


class Command(BaseCommand):
    help = "Write the database (pg_dump) and the uploaded files into one tar archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar file to write")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            summary = write_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.tables} tables and {summary.files} files to {archive}."
            )
        )
