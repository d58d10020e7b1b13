"""The rows each user may know about. Views list and fetch through these, so a row that is
not yours is a 404, never a 403 that would confirm it exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from inspections import access
from inspections.models import (
    Assignment,
    Commitment,
    CorrectiveAction,
    EvidencePhoto,
    Inspection,
    RoleKind,
)

_NOTHING = Q(pk__in=[])


def _office_units(user: Any) -> Q | None:
    units = access.units_where(user, RoleKind.OFFICE)
    return access.within(units, "unit") if units else None


def inspection_filter(user: Any) -> Q | None:
    """None means every row (Internal Affairs, leaders)."""
    if access.sees_everything(user):
        return None
    condition = Q(inspector=user)  # inspections they made, official or self-assessment
    office = _office_units(user)
    if office is not None:
        # The unit sees its official results once approved, and its own self-assessments.
        condition |= office & (
            Q(kind=Inspection.Kind.SELF)
            | Q(kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED)
        )
    return condition


def inspections_for(user: Any) -> QuerySet[Inspection]:
    condition = inspection_filter(user)
    rows = Inspection.objects.all()
    return rows if condition is None else rows.filter(condition)


def assignments_for(user: Any) -> QuerySet[Assignment]:
    if access.sees_everything(user):
        return Assignment.objects.all()
    return Assignment.objects.filter(inspector=user)


def actions_for(user: Any) -> QuerySet[CorrectiveAction]:
    if access.sees_everything(user):
        return CorrectiveAction.objects.all()
    condition = Q(inspection__inspector=user)
    office = _office_units(user)
    if office is not None:
        condition |= office
    return CorrectiveAction.objects.filter(condition)


def commitments_for(user: Any) -> QuerySet[Commitment]:
    if access.sees_everything(user):
        return Commitment.objects.all()
    return Commitment.objects.filter(_office_units(user) or _NOTHING)


def photos_for(user: Any) -> QuerySet[EvidencePhoto]:
    """Photos whose owner (inspection, action response or commitment) the user may see."""
    if access.sees_everything(user):
        return EvidencePhoto.objects.all()
    return EvidencePhoto.objects.filter(
        Q(inspection__in=inspections_for(user).values("pk"))
        | Q(action_response__action__in=actions_for(user).values("pk"))
        | Q(commitment__in=commitments_for(user).values("pk"))
    )


def may_see_original(user: Any, photo: EvidencePhoto, *, inspector_id: int | None = None) -> bool:
    """Originals keep GPS: Internal Affairs and the inspection's own inspector only."""
    if user is None or not user.is_authenticated:
        return False
    if access.is_internal_affairs(user):
        return True
    if photo.inspection_id is None:
        return False
    if inspector_id is None:
        inspector_id = photo.inspection.inspector_id if photo.inspection else None
    return bool(inspector_id == user.pk)
