from __future__ import annotations

from django.core.management.base import BaseCommand

from common.files import compare_files, remove_files


class Command(BaseCommand):
    help = (
        "List the uploaded files no row points to and the rows whose file is missing; "
        "with --delete, remove those files (never a row). Temporary files of writes "
        "that died over an hour ago are removed in both cases."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="remove the files no row points to"
        )

    def handle(self, *args, delete: bool, **options) -> None:
        report = compare_files()
        remove_files(report.stale_partials)
        for name in report.stale_partials:
            self.stdout.write(f"Removed a partial file left by a write that died: {name}")
        for name in report.orphans:
            verb = "Removed" if delete else "No row points to"
            self.stdout.write(f"{verb} {name}")
        if delete:
            remove_files(report.orphans)
        for label, name in report.missing:
            self.stdout.write(f"Missing file of {label}: {name}")
        if report.partials_in_progress:
            self.stdout.write(f"{report.partials_in_progress} files are being written: left alone.")
        summary = (
            f"{len(report.orphans)} files with no row"
            + (" (removed)" if delete and report.orphans else "")
            + f", {len(report.missing)} rows with no file."
        )
        style = self.style.SUCCESS if not (report.orphans or report.missing) else self.style.WARNING
        self.stdout.write(style(summary))
        if report.orphans and not delete:
            self.stdout.write("Run again with --delete to remove the files with no row.")
