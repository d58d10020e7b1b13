"""Corrective actions: opened on approval, verified or reopened (the unit's response, with its
photos, is in services/evidence.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import notices, policies
from inspections.errors import DomainError, Problem
from inspections.models import CorrectiveAction, Inspection
from inspections.policies import Actor
from inspections.selectors.notifications import office_people
from inspections.services.audit import record_event
from inspections.services.notifications import notify

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
            record_event(
                actor=by,
                action="action_opened",
                target=action,
                reason=reason,
                revision=inspection.revision,
            )
            opened.append(action)
        elif action.status == CorrectiveAction.Status.SUPERSEDED:
            action.status, action.due_on, action.reason = (
                CorrectiveAction.Status.OPEN,
                due_on,
                reason,
            )
            action.save(update_fields=["status", "due_on", "reason"])
            record_event(
                actor=by,
                action="action_opened",
                target=action,
                reason=reason,
                revision=inspection.revision,
            )
            opened.append(action)
    for criterion_id, action in existing.items():
        if criterion_id not in needed and action.status in _LIVE:
            action.status = CorrectiveAction.Status.SUPERSEDED
            action.save(update_fields=["status"])
            # The revision that made the item pass: the action's timeline says which one.
            record_event(
                actor=by,
                action="action_superseded",
                target=action,
                revision=inspection.revision,
            )
    if opened:
        office = office_people(inspection.unit)
        for action in opened:
            notify(
                recipients=office,
                kind="action_opened",
                key=f"action_opened:{action.pk}:{action.due_on.isoformat()}",
                data=action_facts(action, page=_unit_page(action)),
            )
    return opened


def action_facts(action: CorrectiveAction, **extra: object) -> dict[str, object]:
    """What every notification about an action says of it."""
    return {
        "unit": action.unit.name,
        "criterion": action.criterion.code,
        "criterion_text": action.criterion.text,
        "criterion_text_en": action.criterion.text_en,
        "finding": action.finding,
        "due_on": action.due_on.isoformat(),
        **extra,
    }


def _unit_page(action: CorrectiveAction) -> dict[str, object]:
    return notices.page("unit", action.unit.code, anchor=f"action-{action.pk}")


def lock_action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update()
        .select_related("inspection", "unit", "criterion")
        .get(pk=action.pk)
    )


def _tell_responder(action: CorrectiveAction, *, kind: str) -> None:
    """The person whose response was verified or reopened."""
    response = action.responses.order_by("-created_at", "-pk").select_related("created_by").first()
    if response is None or response.created_by is None:
        return
    notify(
        recipients=[response.created_by],
        kind=kind,
        key=f"{kind}:{action.pk}:{response.pk}",
        data=action_facts(action, note=action.verification_note, page=_unit_page(action)),
    )


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
    action = lock_action(action)
    _require_verifier(by, action)
    action.status = CorrectiveAction.Status.VERIFIED
    action.verified_at, action.verified_by = timezone.now(), by
    action.verification_note = note.strip()
    action.save(update_fields=["status", "verified_at", "verified_by", "verification_note"])
    record_event(actor=by, action="action_verified", target=action, note=note)
    _tell_responder(action, kind="action_verified")
    return action


@transaction.atomic
def action_reopen(*, by: Actor, action: CorrectiveAction, note: str) -> CorrectiveAction:
    action = lock_action(action)
    _require_verifier(by, action)
    if not note.strip():
        raise DomainError(
            _("Hãy nêu điều còn phải khắc phục."), fields={"note": [_("Không được để trống.")]}
        )
    action.status = CorrectiveAction.Status.REOPENED
    action.verification_note = note.strip()
    action.save(update_fields=["status", "verification_note"])
    record_event(actor=by, action="action_reopened", target=action, note=note)
    _tell_responder(action, kind="action_reopened")
    return action
