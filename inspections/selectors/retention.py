"""What the product keeps of evidence photos, and for how long: the configured periods, for
the privacy notice and the deployment docs (the rules themselves: services/retention.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RetentionPeriods:
    # Months an original is kept after its owner is published; 0: kept.
    original_months: int
    # Days positions are kept after publication; 0: removed at publication.
    position_days: int
    # Days after upload no original outlives, whatever its owner's state; 0: no ceiling.
    original_max_days: int

    @property
    def originals_kept(self) -> bool:
        """Originals are never deleted by the retention rules."""
        return self.original_months == 0 and self.original_max_days == 0


def retention_summary() -> RetentionPeriods:
    """The configured retention periods (settings EVIDENCE_*_RETENTION_*)."""
    return RetentionPeriods(
        original_months=int(getattr(settings, "EVIDENCE_ORIGINAL_RETENTION_MONTHS", 12)),
        position_days=int(getattr(settings, "EVIDENCE_POSITION_RETENTION_DAYS", 0)),
        original_max_days=int(getattr(settings, "EVIDENCE_ORIGINAL_RETENTION_DAYS", 0)),
    )
