"""Run the evidence checks (capture time, place, camera, reuse) on photos already stored.

New photos are checked at upload; this fills in the ones stored before, and with `--all`
checks every photo again (after EVIDENCE_MAX_AGE_DAYS or EVIDENCE_REUSE_DISTANCE changed).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inspections.services.evidence_checks import stored_photos_check


class Command(BaseCommand):
    help = "Check stored evidence photos (capture time, place, camera, reuse) and keep findings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Check every photo again, not only unchecked ones."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = stored_photos_check(everything=options["all"])
        self.stdout.write(f"checked {count} photo(s)")
