"""Roles: who is an inspector, an office user, Internal Affairs or a leader, and where.

The own-unit rule is not decided here: a person may hold several roles, and the rule bites
where it matters, at assignment, at the start of an inspection and at approval.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspections.errors import DomainError, Problem
from inspections.models import OrgUnit, RoleKind, UserRole
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.common import require_configurer


def _refuse_own_roles(*, by: Actor, user: Actor) -> None:
    # Nobody widens or narrows their own rights; the IT officer bootstraps a new install.
    if user.pk == getattr(by, "pk", None) and not getattr(by, "is_superuser", False):
        raise DomainError(
            _("Không ai tự cấp hay tự thu hồi vai trò của chính mình."), problem=Problem.FORBIDDEN
        )


def _forget_cached_roles(user: Any) -> None:
    user.__dict__.pop("_cong_so_xanh_roles", None)  # policies.roles_of reads them once per object


@transaction.atomic
def role_grant(*, by: Actor, user: Actor, kind: str, unit: OrgUnit | None) -> UserRole:
    require_configurer(by)
    _refuse_own_roles(by=by, user=user)
    if unit is not None:  # as it stands now: retired meanwhile?
        unit = OrgUnit.objects.get(pk=unit.pk)
    problems: dict[str, list[str]] = {}
    if kind not in RoleKind.values:
        problems["kind"] = [_("Vai trò không hợp lệ.")]
    elif unit is None and kind != RoleKind.LEADER:
        problems["unit"] = [
            _("Vai trò “%(role)s” cần một đơn vị.") % {"role": RoleKind(kind).label}
        ]
    if unit is not None and unit.valid_to is not None:
        problems["unit"] = [_("Đơn vị này đã hết hiệu lực.")]
    if not problems and UserRole.objects.filter(user=user, kind=kind, unit=unit).exists():
        problems["kind"] = [_("Người này đã có vai trò này ở đơn vị này.")]
    if problems:
        raise DomainError(_("Chưa cấp được vai trò."), fields=problems)
    role = UserRole.objects.create(user=user, kind=kind, unit=unit)
    _forget_cached_roles(user)
    record_event(
        actor=by,
        action="role_granted",
        target=role,
        user=user.username,
        kind=kind,
        unit=unit.code if unit else None,
    )
    return role


@transaction.atomic
def role_revoke(*, by: Actor, role: UserRole) -> None:
    require_configurer(by)
    role = (
        UserRole.objects.select_for_update(of=("self",))
        .select_related("user", "unit")
        .get(pk=role.pk)
    )
    _refuse_own_roles(by=by, user=role.user)
    record_event(
        actor=by,
        action="role_revoked",
        target=role,
        user=role.user.username,
        kind=role.kind,
        unit=role.unit.code if role.unit else None,
    )
    role.delete()
    _forget_cached_roles(role.user)
