"""People for Internal Affairs' pages: one list in Vietnamese order, with roles (2 queries)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from inspections.models import UserRole
from inspections.selectors.filters import PersonFilter, filtered


def people_list(*, query: Mapping[str, Any] | None = None) -> QuerySet[Any]:
    rows = (
        get_user_model()
        .objects.filter(is_superuser=False)
        .select_related("profile")
        .prefetch_related(
            Prefetch("roles", queryset=UserRole.objects.select_related("unit").order_by("kind"))
        )
        .order_by("profile__sort_key", "username")
    )
    return filtered(PersonFilter, query, rows).distinct()
