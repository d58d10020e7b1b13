"""The navigation links a user's roles open (read once per request with the roles)."""

from __future__ import annotations

from django import template

from inspections import policies
from inspections.models import RoleKind
from inspections.policies import Viewer

register = template.Library()


@register.simple_tag
def nav_roles(user: Viewer) -> dict[str, bool]:
    return {
        "office": bool(policies.units_where(user, RoleKind.OFFICE)),
        "internal_affairs": policies.is_internal_affairs(user),
        "reader": policies.sees_everything(user),
        "inspector": policies.has_role(user, RoleKind.INSPECTOR),
    }
