"""The Django-admin permissions that Internal Affairs' configuration work needs."""

from __future__ import annotations

from django.contrib.auth.models import Group as PermissionGroup
from django.contrib.auth.models import Permission

from inspections import authcache
from inspections.policies import Actor

STAFF_GROUP = "Phòng Nội vụ"
# model name → the actions Internal Affairs may take on it in the admin. Every one of them
# goes through a service there; units and rounds are never deleted (the admin shows them
# without a delete button to anyone). Roles are granted on Internal Affairs' own people pages
# (/nguoi-dung/), so the admin only shows them: the admin stays the IT officer's tool.
ADMIN_RIGHTS = {
    "group": ("add", "change", "delete", "view"),
    "orgunit": ("add", "change", "view"),
    "userrole": ("view",),
    "emulationmodel": ("add", "change", "view"),
    "modelversion": ("add", "change", "view"),
    "classificationlevel": ("add", "change", "delete", "view"),
    "section": ("add", "change", "delete", "view"),
    "criterion": ("add", "change", "delete", "view"),
    "round": ("add", "change", "view"),
    "assignment": ("add", "change", "delete", "view"),
    "event": ("view",),
}


def grant_internal_affairs_admin(user: Actor) -> None:
    """Let an Internal Affairs user into the admin with exactly the rights above."""
    group, _created = PermissionGroup.objects.get_or_create(name=STAFF_GROUP)
    codenames = [
        f"{action}_{model}" for model, actions in ADMIN_RIGHTS.items() for action in actions
    ]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="inspections", codename__in=codenames)
    )
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    authcache.forget_person(user.pk)
