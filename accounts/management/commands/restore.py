from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backups import restoring
from common.backups.archive import BackupError, backup_key, human_size


class Command(BaseCommand):
    help = (
        "Restore an archive of `backup` into an empty database and MEDIA_ROOT; with "
        "--check, restore it into a throwaway database and folder and compare."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="the archive `backup` wrote")
        parser.add_argument(
            "--check",
            action="store_true",
            help="a trial restore: compare every table and file with the manifest",
        )

    def handle(self, *args, archive: Path, check: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            if check:
                self.check_archive(archive)
            else:
                self.restore_archive(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None

    def restore_archive(self, archive: Path) -> None:
        summary = restoring.restore_backup(archive, key=backup_key())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.tables} tables ({summary.rows} rows) and "
                f"{summary.files} files from {archive}."
            )
        )
        for what, count in summary.dropped.items():
            self.stdout.write(f"Dropped {count} rows of {what}: their files are not in backups.")

    def check_archive(self, archive: Path) -> None:
        result = restoring.check_archive(archive, key=backup_key())
        lines = [
            f"Archive {archive.name}: made {result.created}, {result.engine}, "
            + ("sealed." if result.sealed else "not encrypted."),
            f"Tables: {result.tables_matching} of {result.tables} match the manifest "
            f"({result.rows} rows).",
            f"Files: {result.files_matching} of {result.files} match their checksums "
            f"({human_size(result.size)}).",
            f"Files the database points to: {result.referenced_present} of "
            f"{result.referenced} in the archive.",
        ]
        self.stdout.write("\n".join(lines))
        if result.problems:
            raise CommandError(
                f"The trial restore found {len(result.problems)} problems:\n"
                + "\n".join(f"- {problem}" for problem in result.problems)
            )
        self.stdout.write(self.style.SUCCESS("The archive restores whole."))
