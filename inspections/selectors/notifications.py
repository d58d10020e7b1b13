"""Reads of notifications: who is told about a unit, a person's inbox and its unread count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet

from inspections.models import (
    Category,
    EmailChoice,
    Notification,
    NotificationPreference,
    OrgUnit,
    RoleKind,
)
from inspections.policies import Actor, Viewer
from inspections.selectors.filters import NotificationFilter, filtered


def office_people(unit: OrgUnit) -> list[Actor]:
    """The unit's office users and those of every unit above it ("own unit" runs down)."""
    return office_people_of([unit])[unit.pk]


def office_people_of(units: Iterable[OrgUnit]) -> dict[int, list[Actor]]:
    """The office people of many units at once (see `office_people`), in one query per 900
    units above them; the one place that says who in an office is told."""
    units = list(units)
    above = {
        unit.pk: [int(part) for part in unit.path.strip("/").split("/") if part] for unit in units
    }
    wanted = sorted({pk for ancestors in above.values() for pk in ancestors})
    at_unit: dict[int, dict[int, Actor]] = defaultdict(dict)
    for start in range(0, len(wanted), 900):
        people = (
            get_user_model()
            .objects.filter(
                is_active=True,
                roles__kind=RoleKind.OFFICE,
                roles__unit_id__in=wanted[start : start + 900],
            )
            .annotate(office_unit_id=F("roles__unit_id"))
        )
        for person in people:
            at_unit[person.office_unit_id][person.pk] = person
    told = {}
    for unit_pk, ancestors in above.items():
        found = {pk: p for ancestor in ancestors for pk, p in at_unit[ancestor].items()}
        told[unit_pk] = [found[pk] for pk in sorted(found)]
    return told


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
