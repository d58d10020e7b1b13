"""Delete evidence originals (which carry GPS) older than EVIDENCE_ORIGINAL_RETENTION_DAYS.

The display copy and thumbnail stay, and so does the photo's row with its SHA-256, so the
evidence still shows and reuse is still detected. A PDF has no copy: its original is the
evidence itself and is kept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from inspections.models import EvidencePhoto


class Command(BaseCommand):
    help = "Delete evidence originals past the retention period (display copies stay)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go, delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = int(getattr(settings, "EVIDENCE_ORIGINAL_RETENTION_DAYS", 0))
        if days <= 0:
            self.stdout.write("EVIDENCE_ORIGINAL_RETENTION_DAYS is 0: originals are kept forever.")
            return
        cutoff = timezone.now() - datetime.timedelta(days=days)
        due = (
            EvidencePhoto.objects.filter(uploaded_at__lt=cutoff, original_deleted_at__isnull=True)
            .exclude(original="")
            .exclude(display="")
            .order_by("uploaded_at")
        )
        purged = 0
        for photo in due.iterator(chunk_size=500):
            name = photo.original.name or ""
            if options["dry_run"]:
                self.stdout.write(f"would delete {photo.pk} {name}")
                purged += 1
                continue
            default_storage.delete(name)  # a file already gone is not an error
            EvidencePhoto.objects.filter(pk=photo.pk).update(
                original="", original_deleted_at=timezone.now()
            )
            purged += 1
        verb = "would delete" if options["dry_run"] else "deleted"
        self.stdout.write(f"{verb} {purged} original(s) older than {days} days")
