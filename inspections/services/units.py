"""Groups and the unit tree (create, edit, move, retire) and the workbook import.

A unit's `path` ("/1/7/42/") is derived from its ancestors: a move or a merger rewrites the
paths of a whole subtree in one UPDATE here, never one row at a time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, ProtectedError, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from inspections import authcache, policies
from inspections.errors import DomainError, Problem
from inspections.evidence_checks import parse_place
from inspections.imports import ImportPlan, existing_usernames, plan_import
from inspections.models import Group, OrgUnit, Profile, UserRole
from inspections.policies import Actor
from inspections.services.accounts import invitation_send
from inspections.services.audit import record_event
from inspections.services.common import checked, model_update, require_configurer
from inspections.services.evidence_checks import unit_photos_recheck
from inspections.services.rounds import require_internal_affairs


@dataclass
class ImportReport:
    plan: ImportPlan
    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    roles_added: int = 0
    invitations_sent: int = 0


def directory_preview(*, by: Actor, data: bytes) -> ImportPlan:
    """The dry run: every row's problems, nothing written."""
    require_internal_affairs(by)
    return plan_import(data)


@transaction.atomic
def directory_import(*, by: Actor, data: bytes) -> ImportReport:
    """Write every row, or none: one problem anywhere refuses the whole file."""
    require_internal_affairs(by)
    plan = plan_import(data)
    if plan.problems:
        raise DomainError(
            _("Tệp còn %(n)s dòng có lỗi: chưa nhập gì.") % {"n": len(plan.problems)},
            fields=plan.problems,
        )
    report = ImportReport(plan=plan)
    groups = {g.code: g for g in Group.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    for row in plan.units:  # parents come before their children in the file (checked)
        unit = units.get(row.code)
        parent = units.get(row.parent_code) if row.parent_code else None
        if unit is None:
            unit = OrgUnit(code=row.code, parent=parent)
            report.units_created += 1
        else:
            if unit.parent_id != getattr(parent, "pk", None):
                unit, _count = _move(unit=unit, parent=parent)
            report.units_updated += 1
        unit.name = row.name
        unit.group = groups.get(row.group_code) if row.group_code else None
        if row.valid_from is not None:
            unit.valid_from = row.valid_from
        moved_place = row.latitude is not None and (
            (unit.latitude, unit.longitude, unit.radius_m)
            != (row.latitude, row.longitude, row.radius_m)
        )
        if moved_place:  # an empty place in the file leaves the one set on the page
            unit.latitude, unit.longitude, unit.radius_m = (
                row.latitude,
                row.longitude,
                row.radius_m,
            )
        unit.save()
        if moved_place and unit.pk is not None:
            unit_photos_recheck(unit=unit)
        units[row.code] = unit
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=existing_usernames(plan))
    }
    for person in plan.people:
        user = users.get(person.username)
        if user is None:
            user = get_user_model()(username=person.username, email=person.email)
            user.set_unusable_password()  # the person sets it through the invitation
            user.save()
            Profile.objects.create(user=user, full_name=person.full_name)
            users[person.username] = user
            report.people_created += 1
            if user.email:  # the others get a printed invitation sheet
                invitation_send(by=by, user=user)
                report.invitations_sent += 1
        _role, created = UserRole.objects.get_or_create(
            user=user, kind=person.role, unit=units.get(person.unit_code)
        )
        report.roles_added += int(created)
        if created:
            authcache.forget_person(user.pk)
    record_event(
        actor=by,
        action="directory_imported",
        target=by,
        units=len(plan.units),
        people=len(plan.people),
    )
    return report


@transaction.atomic
def unit_retire(
    *, by: Actor, unit: OrgUnit, merged_into: OrgUnit, valid_to: datetime.date
) -> OrgUnit:
    """A unit merged into another: it ends on `valid_to` and points to its successor; the
    units below it that are still in force now sit below the successor."""
    require_configurer(by)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    merged_into = OrgUnit.objects.select_for_update().get(pk=merged_into.pk)
    problems: dict[str, list[str]] = {}
    if unit.valid_to is not None:
        raise DomainError(_("Đơn vị này đã hết hiệu lực."), problem=Problem.WRONG_STATE)
    if merged_into.pk == unit.pk or merged_into.is_within(unit):
        problems["merged_into"] = [_("Không sáp nhập một đơn vị vào chính nó hay cấp dưới.")]
    elif merged_into.valid_to is not None:
        problems["merged_into"] = [_("Đơn vị tiếp nhận đã hết hiệu lực.")]
    if valid_to < unit.valid_from:
        problems["valid_to"] = [_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")]
    if problems:
        raise DomainError(_("Chưa ghi nhận được việc sáp nhập."), fields=problems)
    children = list(unit.children.filter(valid_to__isnull=True).values_list("pk", flat=True))
    if children:  # their subtrees, in one UPDATE: "/1/7/9/…" → "/1/12/9/…"
        _repath(old=unit.path, new=merged_into.path, rows=_subtrees(unit.path, children))
        OrgUnit.objects.filter(pk__in=children).update(parent=merged_into)
    unit.valid_to, unit.merged_into = valid_to, merged_into
    unit.save(update_fields=["valid_to", "merged_into"])
    record_event(
        actor=by,
        action="unit_retired",
        target=unit,
        merged_into=merged_into.code,
        valid_to=str(valid_to),
        children_moved=len(children),
    )
    return unit


def _subtrees(path: str, children: list[int]) -> Q:
    condition = Q(pk__in=[])
    for child in children:
        condition |= Q(path__startswith=f"{path}{child}/")
    return condition


def _repath(*, old: str, new: str, rows: Q) -> int:
    """Replace the prefix `old` of the path of every row in `rows` by `new`, in one UPDATE."""
    return OrgUnit.objects.filter(rows).update(
        path=Concat(Value(new), Substr("path", len(old) + 1), output_field=CharField())
    )


@transaction.atomic
def group_save(
    *, by: Actor, group: Group | None = None, code: str, name: str, name_en: str = ""
) -> Group:
    """Create a group (khối thi đua), or change its code or names."""
    require_configurer(by)
    creating = group is None
    group = Group() if group is None else Group.objects.select_for_update().get(pk=group.pk)
    changes = model_update(
        instance=group, data={"code": code.strip(), "name": name.strip(), "name_en": name_en}
    )
    checked(group, message=_("Chưa lưu được khối thi đua."), exclude=["sort_key"])
    if not changes and not creating:
        return group
    group.save()
    action = "group_created" if creating else "group_updated"
    record_event(actor=by, action=action, target=group, changes=changes)
    return group


@transaction.atomic
def group_delete(*, by: Actor, group: Group) -> None:
    """Only a group nothing refers to: no unit, result or inspection was ever ranked in it."""
    require_configurer(by)
    group = Group.objects.select_for_update().get(pk=group.pk)
    record_event(actor=by, action="group_deleted", target=group, code=group.code, name=group.name)
    try:
        with transaction.atomic():
            group.delete()
    except ProtectedError:
        raise DomainError(
            _("Khối thi đua “%(name)s” đang có đơn vị hoặc kết quả: không xóa được.")
            % {"name": group.name},
            problem=Problem.WRONG_STATE,
        ) from None


@transaction.atomic
def unit_create(
    *,
    by: Actor,
    code: str,
    name: str,
    parent: OrgUnit | None = None,
    group: Group | None = None,
    valid_from: datetime.date | None = None,
) -> OrgUnit:
    require_configurer(by)
    if parent is not None:  # as it stands now: retired meanwhile?
        parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    unit = OrgUnit(code=code.strip(), name=name.strip(), parent=parent, group=group)
    if valid_from is not None:
        unit.valid_from = valid_from
    if parent is not None and parent.valid_to is not None:
        raise DomainError(
            _("Chưa tạo được đơn vị."),
            fields={"parent": [_("Đơn vị cấp trên đã hết hiệu lực.")]},
        )
    checked(unit, message=_("Chưa tạo được đơn vị."), exclude=["path", "sort_key"])
    unit.save()
    record_event(
        actor=by,
        action="unit_created",
        target=unit,
        code=unit.code,
        parent=parent.code if parent else None,
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    by: Actor,
    unit: OrgUnit,
    code: str,
    name: str,
    group: Group | None,
    valid_from: datetime.date,
) -> OrgUnit:
    """A unit's code, names, group and start date; moving and retiring have their own."""
    require_configurer(by)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    changes = model_update(
        instance=unit,
        data={"code": code.strip(), "name": name.strip(), "group": group, "valid_from": valid_from},
    )
    if not changes:
        return unit
    checked(unit, message=_("Chưa lưu được đơn vị."), exclude=["path", "sort_key"])
    unit.save(update_fields=list(changes))
    record_event(actor=by, action="unit_updated", target=unit, changes=changes)
    return unit


@transaction.atomic
def unit_move(*, by: Actor, unit: OrgUnit, parent: OrgUnit | None) -> OrgUnit:
    """Put a unit (and everything below it) under another parent, or at the top."""
    require_configurer(by)
    before = OrgUnit.objects.filter(pk=unit.pk).values_list("parent__code", flat=True).first()
    moved, below = _move(unit=unit, parent=parent)
    if below:
        record_event(
            actor=by,
            action="unit_moved",
            target=moved,
            units_moved=below,
            **{"from": before, "to": parent.code if parent else None},
        )
    return moved


def _move(*, unit: OrgUnit, parent: OrgUnit | None) -> tuple[OrgUnit, int]:
    """The unit as it now is, and how many paths changed (0 when it already sat there)."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if parent is not None:
        parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    if unit.parent_id == (parent.pk if parent else None):
        return unit, 0
    problem = ""
    if parent is not None and parent.is_within(unit):
        problem = _("Không đặt một đơn vị dưới chính nó hay cấp dưới của nó.")
    elif parent is not None and parent.valid_to is not None:
        problem = _("Đơn vị cấp trên đã hết hiệu lực.")
    elif unit.valid_to is not None:
        problem = _("Đơn vị này đã hết hiệu lực.")
    if problem:
        raise DomainError(_("Chưa chuyển được đơn vị."), fields={"parent": [problem]})
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    count = _repath(old=unit.path, new=new_path, rows=Q(path__startswith=unit.path))
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    return unit, count


@transaction.atomic
def unit_place_set(
    *, by: Actor, unit: OrgUnit, latitude: object, longitude: object, radius_m: object
) -> bool:
    """Where the unit is and how far its evidence may be taken from it (all three, or none to
    clear it); its photos are checked again. Returns whether anything changed."""
    if not policies.may_set_unit_place(by):
        raise DomainError(_("Chỉ Phòng Nội vụ được đặt vị trí đơn vị."), problem=Problem.FORBIDDEN)
    lat, lon, metres = parse_place(latitude, longitude, radius_m)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    changes = model_update(
        instance=unit, data={"latitude": lat, "longitude": lon, "radius_m": metres}
    )
    if not changes:
        return False
    unit.save(update_fields=list(changes))
    # The event names the change, not the coordinates: the audit trail is read widely.
    record_event(actor=by, action="unit_place_set", target=unit, cleared=lat is None)
    unit_photos_recheck(unit=unit)
    return True
