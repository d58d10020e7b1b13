from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspections.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (portable JSON lines) and every media file, with SHA-256 sums, "
        "into one .tar file, or a folder when the name does not end in .tar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="backup-2026-11-27.tar, or a new folder")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["target"]
        try:
            summary = backup(target, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {summary.rows} rows, {summary.files} files."
            )
        )
