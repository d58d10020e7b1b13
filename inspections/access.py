"""Who holds which role where; "own unit" means the unit and every unit below it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from inspections.models import OrgUnit, RoleKind, UserRole


def roles_of(user: Any) -> list[UserRole]:
    """The user's roles, read once per user object (views ask many times)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[UserRole] | None = getattr(user, "_cong_so_xanh_roles", None)
    if cached is None:
        cached = list(UserRole.objects.filter(user=user).select_related("unit"))
        user._cong_so_xanh_roles = cached
    return cached


def has_role(user: Any, kind: RoleKind) -> bool:
    return any(role.kind == kind for role in roles_of(user))


def units_where(user: Any, kind: RoleKind) -> list[OrgUnit]:
    return [role.unit for role in roles_of(user) if role.kind == kind and role.unit is not None]


def is_internal_affairs(user: Any) -> bool:
    return has_role(user, RoleKind.INTERNAL_AFFAIRS)


def is_leader(user: Any) -> bool:
    return has_role(user, RoleKind.LEADER)


def sees_everything(user: Any) -> bool:
    """Internal Affairs and leaders read every unit's records."""
    return is_internal_affairs(user) or is_leader(user)


def within(units: list[OrgUnit], field: str = "") -> Q:
    """A filter for rows whose unit is one of `units` or below one of them."""
    prefix = f"{field}__" if field else ""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(**{f"{prefix}path__startswith": unit.path})
    return condition


def unit_is_within(unit: OrgUnit, units: list[OrgUnit]) -> bool:
    return any(unit.is_within(ancestor) for ancestor in units)


def own_units(user: Any) -> list[OrgUnit]:
    """Every unit the user belongs to, whatever the role."""
    return [role.unit for role in roles_of(user) if role.unit is not None]


def visible_units(user: Any) -> QuerySet[OrgUnit]:
    if sees_everything(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(within(units_where(user, RoleKind.OFFICE)))
