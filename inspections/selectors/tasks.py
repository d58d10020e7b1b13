""" "Việc của tôi": an inspector's assignments in open rounds, and what the phone keeps offline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from inspections.models import Assignment, EvidencePhoto, Inspection, Round
from inspections.policies import Viewer

# The states an inspector still has something to do with (or waits on).
OPEN_STATES = (Inspection.State.DRAFT, Inspection.State.RETURNED, Inspection.State.SUBMITTED)


@dataclass
class Task:
    assignment: Assignment
    inspection: Inspection | None
    late: bool
    # A fresh id for the start form: tapping twice creates one inspection, not two.
    new_id: uuid.UUID = field(default_factory=uuid.uuid4)


def my_tasks(user: Viewer) -> list[Task]:
    """Two queries: the assignments in open rounds, and this inspector's inspections there."""
    assignments = list(
        Assignment.objects.filter(
            inspector_id=getattr(user, "pk", None), round__status=Round.Status.OPEN
        )
        .select_related("round", "unit")
        .order_by("round__ends_on", "unit__sort_key")
    )
    inspections = {
        (i.round_id, i.unit_id): i
        for i in Inspection.objects.filter(
            inspector_id=getattr(user, "pk", None),
            kind=Inspection.Kind.OFFICIAL,
            round_id__in={a.round_id for a in assignments},
        )
    }
    today = timezone.localdate()
    tasks = []
    for assignment in assignments:
        inspection = inspections.get((assignment.round_id, assignment.unit_id))
        if inspection is not None and inspection.state not in OPEN_STATES:
            continue
        done = inspection is not None and inspection.state == Inspection.State.SUBMITTED
        late = not done and assignment.effective_due_on < today
        tasks.append(Task(assignment=assignment, inspection=inspection, late=late))
    return tasks


def offline_inspection_ids(user: Viewer) -> list[Any]:
    """Every inspection this inspector can still edit in an open round (one query)."""
    return list(
        Inspection.objects.filter(
            inspector_id=getattr(user, "pk", None),
            state__in=(Inspection.State.DRAFT, Inspection.State.RETURNED),
            round__status=Round.Status.OPEN,
        ).values_list("pk", flat=True)
    )


def thumbnail_ids(inspection_ids: list[Any]) -> list[tuple[Any, str]]:
    """The photos of these inspections that have a thumbnail, each with the version of its
    copies (EvidencePhoto.copies_version), in one query."""
    photos = EvidencePhoto.objects.filter(inspection_id__in=inspection_ids).exclude(thumbnail="")
    return [(photo.pk, photo.copies_version) for photo in photos.only("pk", "display", "thumbnail")]
