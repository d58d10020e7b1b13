"""Apply the evidence retention rules (inspections/services/retention.py); the daily task
runs the same service."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspections.selectors.retention import retention_summary
from inspections.services.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Delete evidence originals and positions past the retention periods "
        "(display copies and the distance flags stay)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go, change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        periods = retention_summary()
        self.stdout.write(
            f"originals: {periods.original_months} month(s) after publication"
            f" (0: kept), at most {periods.original_max_days} day(s) after upload (0: no limit);"
            f" positions: {periods.position_days} day(s) after publication"
        )
        run = retention_apply(dry_run=options["dry_run"])
        verb = "would delete" if run.dry_run else "deleted"
        self.stdout.write(
            f"{verb} {run.originals_deleted} original(s); positions cleared on"
            f" {run.positions_cleared} photo(s); GPS removed from {run.gps_removed}"
            " kept original(s)"
        )
