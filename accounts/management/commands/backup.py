from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.backups.archive import BackupError, backup_key, human_size
from common.backups.retention import apply_retention, archive_name
from common.backups.writing import write_backup
from common.storage import is_disk_full


class Command(BaseCommand):
    help = (
        "Write the database and the files it points to into one verified archive, "
        "sealed with ACRSS_BACKUP_KEY when set. Without ARCHIVE: a dated archive in "
        "ACRSS_BACKUP_DIR, then older ones removed as the retention settings say."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, nargs="?", help="the file to write")
        parser.add_argument("--dir", type=Path, help="the folder of dated archives")
        parser.add_argument("--keep-daily", type=int, default=settings.ACRSS_BACKUP_KEEP_DAILY)
        parser.add_argument("--keep-weekly", type=int, default=settings.ACRSS_BACKUP_KEEP_WEEKLY)

    def handle(self, *args, archive: Path | None, dir: Path | None, **options) -> None:
        folder = dir or settings.ACRSS_BACKUP_DIR
        if archive is None and folder is None:
            raise CommandError("Give the archive to write, or --dir, or set ACRSS_BACKUP_DIR.")
        if options["keep_daily"] < 1 or options["keep_weekly"] < 0:
            raise CommandError("Keep at least one daily archive, and zero or more weekly ones.")
        key = backup_key()
        if archive is None:
            archive = Path(folder) / archive_name(timezone.now(), sealed=key is not None)
        try:
            summary = write_backup(archive, key=key)
        except BackupError as error:
            raise CommandError(f"Backup failed: {error} No archive was written.") from None
        except OSError as error:
            reason = "the disk is full" if is_disk_full(error) else error.strerror
            raise CommandError(
                f"Backup failed: {reason} ({error.filename or archive.parent}). "
                "No archive was written; the partial file was removed."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.tables} tables ({summary.rows} rows) and {summary.files} "
                f"files to {archive} ({human_size(summary.size)}, checked"
                f"{', sealed' if summary.sealed else ''})."
            )
        )
        if not summary.sealed:
            self.stderr.write(
                "The archive is not encrypted: set ACRSS_BACKUP_KEY before copying "
                "backups off this machine."
            )
        if summary.missing:
            raise CommandError(
                f"{len(summary.missing)} files the database points to were already missing "
                f"from {settings.MEDIA_ROOT} (first: {summary.missing[0]}); the archive was "
                "written without them. Run `manage.py check_files`."
            )
        if folder is not None and archive.parent == Path(folder):
            for removed in apply_retention(
                Path(folder), keep_daily=options["keep_daily"], keep_weekly=options["keep_weekly"]
            ):
                self.stdout.write(f"Removed {removed.name}.")
