from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from inspections.services import load_reference_catalogue


class Command(BaseCommand):
    help = "Load the reference criteria catalogue as a published model version (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        version = load_reference_catalogue()
        criteria = version.criteria.count()
        self.stdout.write(f"Catalogue: {version.title} (v{version.number}), {criteria} criteria.")
