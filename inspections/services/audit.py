"""The event log: every service that changes something records who, when and what."""

from __future__ import annotations

from typing import Any

from django.db import models

from inspections.models import Event, display_name
from inspections.policies import Actor


def record_event(
    *, actor: Actor | None, action: str, target: models.Model | type[models.Model], **data: Any
) -> Event:
    """`target` is one row, or a model class for an action on many of its rows (no id)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Event.objects.create(
        actor=user,
        actor_name=display_name(user)[:150] if user else "",
        action=action,
        object_type=target._meta.model_name or "",
        object_id=str(target.pk) if isinstance(target, models.Model) else "",
        data=_jsonable(data),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
