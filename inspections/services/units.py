"""Units and people: the workbook import (all or nothing) and retiring a merged unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from inspections.errors import DomainError, Problem
from inspections.imports import ImportPlan, existing_usernames, plan_import
from inspections.models import Group, OrgUnit, UserRole
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.rounds import require_internal_affairs


@dataclass
class ImportReport:
    plan: ImportPlan
    units_created: int = 0
    units_updated: int = 0
    people_created: int = 0
    roles_added: int = 0


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
        if unit is None:
            unit = OrgUnit(code=row.code)
            report.units_created += 1
        else:
            report.units_updated += 1
        unit.name = row.name
        unit.parent = units.get(row.parent_code) if row.parent_code else None
        unit.group = groups.get(row.group_code) if row.group_code else None
        if row.valid_from is not None:
            unit.valid_from = row.valid_from
        unit.save()
        units[row.code] = unit
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=existing_usernames(plan))
    }
    for person in plan.people:
        user = users.get(person.username)
        if user is None:
            user = get_user_model()(
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
            )
            user.set_unusable_password()  # the IT officer sets the first password
            user.save()
            users[person.username] = user
            report.people_created += 1
        _role, created = UserRole.objects.get_or_create(
            user=user, kind=person.role, unit=units.get(person.unit_code)
        )
        report.roles_added += int(created)
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
    """A unit merged into another: it ends on `valid_to` and points to its successor."""
    require_internal_affairs(by)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
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
    unit.valid_to, unit.merged_into = valid_to, merged_into
    unit.save()
    record_event(
        actor=by,
        action="unit_retired",
        target=unit,
        merged_into=merged_into.code,
        valid_to=str(valid_to),
    )
    return unit
