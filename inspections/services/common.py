"""Small helpers the services share: who may configure, and "what did this change"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.policies import Viewer


def require_configurer(user: Viewer) -> None:
    if not policies.may_configure(user):
        raise DomainError(
            _("Chỉ Phòng Nội vụ hoặc quản trị hệ thống được thực hiện thao tác này."),
            problem=Problem.FORBIDDEN,
        )


def model_update(*, instance: models.Model, data: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that differ and name them with their old and new values (nothing saved):
    the caller saves only those, and a no-op is seen as an empty answer."""
    changes: dict[str, list[Any]] = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        new = getattr(value, "pk", value) if field.is_relation else value
        old = getattr(instance, attname)
        if old != new:
            changes[name] = [old, new]
            setattr(instance, name, value)
    return changes


def checked(instance: models.Model, *, message: str, exclude: list[str] | None = None) -> None:
    """The model's own field and constraint checks, as one refusal with per-field messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as invalid:
        fields = {name: [str(m) for m in found] for name, found in invalid.message_dict.items()}
        raise DomainError(message, fields=fields) from None
