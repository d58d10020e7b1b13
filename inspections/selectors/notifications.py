"""Reads of notifications: who is told about a unit, a person's inbox and its unread count."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from inspections.models import (
    Category,
    EmailChoice,
    Notification,
    NotificationPreference,
    OrgUnit,
    RoleKind,
    UserRole,
)
from inspections.policies import Actor, Viewer
from inspections.selectors.filters import NotificationFilter, filtered


def office_people(unit: OrgUnit) -> list[Actor]:
    """The unit's office users and those of every unit above it ("own unit" runs down)."""
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    people = get_user_model().objects.filter(
        is_active=True, roles__kind=RoleKind.OFFICE, roles__unit_id__in=ancestors
    )
    return list(people.distinct().order_by("pk"))


def office_people_of_units(units: Iterable[tuple[int, str]]) -> dict[int, list[Actor]]:
    """`office_people` of many units (id, path) at once, in one query: publishing a ranking
    of 50,000 units tells each unit's office without a query per unit."""
    holders: dict[int, list[Actor]] = {}
    roles = UserRole.objects.filter(kind=RoleKind.OFFICE, user__is_active=True)
    for role in roles.select_related("user").order_by("user_id"):
        if role.unit_id is not None:
            holders.setdefault(role.unit_id, []).append(role.user)
    found: dict[int, list[Actor]] = {}
    if not holders:
        return found
    for unit_id, path in units:
        people = {
            person.pk: person
            for part in path.strip("/").split("/")
            if part
            for person in holders.get(int(part), [])
        }
        if people:
            found[unit_id] = [people[pk] for pk in sorted(people)]
    return found


def internal_affairs_people() -> list[Actor]:
    people = get_user_model().objects.filter(is_active=True, roles__kind=RoleKind.INTERNAL_AFFAIRS)
    return list(people.distinct().order_by("pk"))


def unread_count(user: Viewer) -> int:
    """One query, for the bell in every page's header."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_list(
    *, user: Viewer, query: Mapping[str, Any] | None = None
) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient_id=getattr(user, "pk", None))
    return filtered(NotificationFilter, query, rows)


def email_choices(user: Viewer) -> dict[str, str]:
    """Every category with the person's choice (e-mail at once where they made none)."""
    chosen = dict(
        NotificationPreference.objects.filter(person_id=getattr(user, "pk", None)).values_list(
            "category", "email"
        )
    )
    return {
        category.value: chosen.get(category.value, EmailChoice.AT_ONCE) for category in Category
    }
