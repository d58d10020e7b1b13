"""Corrective actions: opened on approval, answered by the unit, verified or reopened."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import ActionResponse, CorrectiveAction, Inspection
from inspections.policies import Actor
from inspections.services.audit import record_event

_LIVE = (
    CorrectiveAction.Status.OPEN,
    CorrectiveAction.Status.RESPONDED,
    CorrectiveAction.Status.REOPENED,
)


def actions_sync(*, inspection: Inspection, by: Actor) -> list[CorrectiveAction]:
    """Open an action for each failed ★ item and flagged answer; supersede those that passed."""
    version = inspection.round.version
    due_on = timezone.localdate() + datetime.timedelta(days=version.action_due_days)
    failed = set(inspection.critical_failures)
    needed: dict[int, tuple[str, str]] = {}
    for answer in inspection.answers.select_related("criterion"):
        if answer.criterion.code in failed:
            needed[answer.criterion_id] = (CorrectiveAction.Reason.CRITICAL_FAILED, answer.note)
        elif answer.flagged:
            needed[answer.criterion_id] = (CorrectiveAction.Reason.FLAGGED, answer.note)
    existing = {a.criterion_id: a for a in inspection.actions.all()}
    opened = []
    for criterion_id, (reason, finding) in needed.items():
        action = existing.get(criterion_id)
        if action is None:
            action = CorrectiveAction.objects.create(
                inspection=inspection,
                criterion_id=criterion_id,
                unit=inspection.unit,
                reason=reason,
                finding=finding,
                due_on=due_on,
            )
            record_event(actor=by, action="action_opened", target=action, reason=reason)
            opened.append(action)
        elif action.status == CorrectiveAction.Status.SUPERSEDED:
            action.status, action.due_on, action.reason = (
                CorrectiveAction.Status.OPEN,
                due_on,
                reason,
            )
            action.save(update_fields=["status", "due_on", "reason"])
            record_event(actor=by, action="action_opened", target=action, reason=reason)
            opened.append(action)
    for criterion_id, action in existing.items():
        if criterion_id not in needed and action.status in _LIVE:
            action.status = CorrectiveAction.Status.SUPERSEDED
            action.save(update_fields=["status"])
            record_event(actor=by, action="action_superseded", target=action)
    return opened


def _lock(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update()
        .select_related("inspection", "unit")
        .get(pk=action.pk)
    )


@transaction.atomic
def action_respond(*, by: Actor, action: CorrectiveAction, note: str) -> ActionResponse:
    action = _lock(action)
    if not policies.may_respond_to_action(by, action):
        raise DomainError(
            _("Chỉ đơn vị được yêu cầu mới báo cáo khắc phục."), problem=Problem.FORBIDDEN
        )
    if action.status not in (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REOPENED):
        raise DomainError(
            _("Yêu cầu đang ở trạng thái “%(state)s”.") % {"state": action.get_status_display()},
            problem=Problem.WRONG_STATE,
        )
    if not note.strip():
        raise DomainError(
            _("Hãy mô tả việc đã khắc phục."), fields={"note": [_("Không được để trống.")]}
        )
    response = ActionResponse.objects.create(action=action, note=note.strip(), created_by=by)
    action.status = CorrectiveAction.Status.RESPONDED
    action.save(update_fields=["status"])
    record_event(actor=by, action="action_responded", target=action, note=note)
    return response


def _require_verifier(by: Actor, action: CorrectiveAction) -> None:
    if not policies.may_verify_action(by, action):
        raise DomainError(
            _("Chỉ Phòng Nội vụ hoặc cán bộ đã kiểm tra mới xác nhận được."),
            problem=Problem.FORBIDDEN,
        )
    if action.status != CorrectiveAction.Status.RESPONDED:
        raise DomainError(_("Đơn vị chưa báo cáo khắc phục."), problem=Problem.WRONG_STATE)


@transaction.atomic
def action_verify(*, by: Actor, action: CorrectiveAction, note: str = "") -> CorrectiveAction:
    action = _lock(action)
    _require_verifier(by, action)
    action.status = CorrectiveAction.Status.VERIFIED
    action.verified_at, action.verified_by = timezone.now(), by
    action.verification_note = note.strip()
    action.save(update_fields=["status", "verified_at", "verified_by", "verification_note"])
    record_event(actor=by, action="action_verified", target=action, note=note)
    return action


@transaction.atomic
def action_reopen(*, by: Actor, action: CorrectiveAction, note: str) -> CorrectiveAction:
    action = _lock(action)
    _require_verifier(by, action)
    if not note.strip():
        raise DomainError(
            _("Hãy nêu điều còn phải khắc phục."), fields={"note": [_("Không được để trống.")]}
        )
    action.status = CorrectiveAction.Status.REOPENED
    action.verification_note = note.strip()
    action.save(update_fields=["status", "verification_note"])
    record_event(actor=by, action="action_reopened", target=action, note=note)
    return action
