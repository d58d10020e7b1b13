from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: its signature (BACKUP_SIGNING_KEY, else SECRET_KEY), "
        "manifest, members, SHA-256 sums and rows are checked first, then the rows are loaded "
        "and the media files put back; a damaged archive exits with code 2. Refuses a "
        "database that holds data unless --force (which replaces it, all or nothing). "
        "Run `migrate` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the .tar file or folder of a backup")
        parser.add_argument(
            "--force", action="store_true", help="replace the rows of a database that has data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        try:
            summary = restore(source, force=options["force"], log=self.stdout.write)
        except BackupError as exc:
            # One line on stderr and exit code 2: a damaged or refused archive, never a traceback.
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored from {source}: {summary.rows} rows, {summary.files} files."
            )
        )
