from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an archive of `backup` into an empty database and MEDIA_ROOT."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="the .tar file `backup` wrote")

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            summary = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.tables} tables and {summary.files} files from {archive}."
            )
        )
