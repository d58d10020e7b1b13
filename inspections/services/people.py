"""People and their roles: accounts Internal Affairs adds, edits, locks and unlocks, and
who is an inspector, an office user, Internal Affairs or a leader, and where.

The own-unit rule is not decided here: a person may hold several roles, and the rule bites
where it matters, at assignment, at the start of an inspection and at approval.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from inspections import authcache, policies
from inspections.errors import DomainError, Problem
from inspections.models import OrgUnit, Profile, RoleKind, UserRole
from inspections.policies import Actor
from inspections.services.accounts import invitation_send, profile_of, sessions_end_all
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
    authcache.forget_person(user.pk)  # and every worker's remembered copy of this person


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


def _require(by: Actor, person: Actor | None = None) -> None:
    allowed = (
        policies.may_manage_people(by) if person is None else policies.may_manage_person(by, person)
    )
    if not allowed:
        raise DomainError(_("Chỉ Phòng Nội vụ được quản lý người dùng."), problem=Problem.FORBIDDEN)


def _check_name(full_name: str) -> str:
    name = " ".join(full_name.split())
    if not name or len(name) > 150:
        raise DomainError(
            _("Chưa lưu được."), fields={"full_name": [_("Thiếu họ và tên (tối đa 150 ký tự).")]}
        )
    return name


@transaction.atomic
def person_create(
    *,
    by: Actor,
    username: str,
    full_name: str,
    email: str = "",
    language: str = "vi",
    invite: bool = True,
) -> Actor:
    """A new account without a password: the invitation link (e-mailed or printed) sets it."""
    _require(by)
    name = _check_name(full_name)
    users = get_user_model()
    if users.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("Chưa lưu được."),
            fields={"username": [_("Tên đăng nhập này đã có người dùng.")]},
        )
    user = users(username=username, email=email.strip())
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, full_name=name, language=language)
    record_event(actor=by, action="person_created", target=user, username=username)
    if invite:
        invitation_send(by=by, user=user)
    return user


@transaction.atomic
def person_update(
    *, by: Actor, user: Actor, full_name: str, email: str, language: str
) -> tuple[Actor, bool]:
    """Change the name, address or language; says whether anything changed."""
    _require(by, user)
    name = _check_name(full_name)
    profile = profile_of(user)
    changed = {
        field: new
        for field, old, new in (
            ("full_name", profile.full_name, name),
            ("email", user.email, email.strip()),
            ("language", profile.language, language),
        )
        if old != new
    }
    if not changed:
        return user, False
    if "email" in changed:
        user.email = changed["email"]
        user.save(update_fields=["email"])
    profile.full_name, profile.language = name, language
    profile.save(update_fields=["full_name", "language"])
    authcache.forget_person(user.pk)
    record_event(actor=by, action="person_updated", target=user, changed=sorted(changed))
    return user, True


@transaction.atomic
def person_deactivate(*, by: Actor, user: Actor) -> Actor:
    """Nobody signs in as this person any more; their records and history stay."""
    _require(by, user)
    if user.pk == by.pk:
        raise DomainError(_("Bạn không thể tự khóa tài khoản của mình."), problem=Problem.FORBIDDEN)
    if not user.is_active:
        raise DomainError(_("Tài khoản này đã bị khóa."), problem=Problem.WRONG_STATE)
    user.is_active = False
    user.save(update_fields=["is_active"])
    authcache.forget_person(user.pk)
    sessions_end_all(user=user, by=by)
    record_event(actor=by, action="person_deactivated", target=user)
    return user


@transaction.atomic
def person_reactivate(*, by: Actor, user: Actor) -> Actor:
    _require(by, user)
    if user.is_active:
        raise DomainError(_("Tài khoản này đang hoạt động."), problem=Problem.WRONG_STATE)
    user.is_active = True
    user.save(update_fields=["is_active"])
    authcache.forget_person(user.pk)
    record_event(actor=by, action="person_reactivated", target=user)
    return user
