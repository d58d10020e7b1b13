"""Rounds and assignments: open, close, publish (with a stored ranking snapshot), assign."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspections import notices, policies
from inspections.errors import DomainError, Problem
from inspections.models import (
    Assignment,
    Inspection,
    ModelVersion,
    OrgUnit,
    RankingSnapshot,
    RoleKind,
    Round,
)
from inspections.policies import Actor, Viewer
from inspections.selectors.closing import PendingWork, round_pending
from inspections.selectors.filters import NOT_STARTED
from inspections.selectors.notifications import office_people_of
from inspections.selectors.rankings import GroupRanking, ranking_compute
from inspections.selectors.retention import retention_summary
from inspections.services.audit import record_event
from inspections.services.common import model_update
from inspections.services.notifications import Event, notify, notify_each
from inspections.services.results import snapshot_store

log = logging.getLogger(__name__)


def require_internal_affairs(user: Viewer) -> None:
    if not policies.may_manage_movement(user):
        raise DomainError(
            _("Chỉ Phòng Nội vụ được thực hiện thao tác này."), problem=Problem.FORBIDDEN
        )


@transaction.atomic
def round_create(
    *,
    by: Actor,
    name: str,
    version: ModelVersion,
    starts_on: datetime.date,
    ends_on: datetime.date,
    open_now: bool = False,
) -> Round:
    require_internal_affairs(by)
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = [_("Hãy đặt tên cho đợt kiểm tra.")]
    if not version.is_published:
        problems["version"] = [_("Đợt kiểm tra phải dùng một phiên bản mô hình đã ban hành.")]
    if ends_on < starts_on:
        problems["ends_on"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if problems:
        raise DomainError(_("Chưa tạo được đợt kiểm tra."), fields=problems)
    round_ = Round.objects.create(
        name=name.strip(),
        version=version,
        starts_on=starts_on,
        ends_on=ends_on,
        status=Round.Status.OPEN if open_now else Round.Status.DRAFT,
    )
    record_event(actor=by, action="round_created", target=round_, status=round_.status)
    return round_


def _transition(
    round_: Round, *, by: Actor, allowed: set[str], to: str, action: str, **data: Any
) -> Round:
    require_internal_affairs(by)
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.status not in allowed:
        raise DomainError(
            _("Không thể chuyển đợt từ trạng thái “%(state)s”.")
            % {"state": locked.get_status_display()},
            problem=Problem.WRONG_STATE,
        )
    previous = locked.status
    locked.status = to
    locked.save(update_fields=["status"])
    record_event(actor=by, action=action, target=locked, **{"from": previous, "to": to}, **data)
    return locked


@transaction.atomic
def round_open(*, round: Round, by: Actor) -> Round:
    opened = _transition(
        round, by=by, allowed={Round.Status.DRAFT}, to=Round.Status.OPEN, action="round_opened"
    )
    inspectors = {a.inspector for a in opened.assignments.select_related("inspector")}
    notify(
        recipients=inspectors,
        kind="round_opened",
        key=f"round_opened:{opened.pk}",
        data={
            "round": opened.name,
            "starts_on": opened.starts_on.isoformat(),
            "ends_on": opened.ends_on.isoformat(),
            "page": notices.page("home"),
        },
    )
    return opened


def _pending_text(pending: PendingWork) -> str:
    counts = pending.counts()
    parts = {
        Inspection.State.SUBMITTED: _("%(n)d phiếu đã nộp chưa duyệt"),
        Inspection.State.RETURNED: _("%(n)d phiếu bị trả lại"),
        Inspection.State.DRAFT: _("%(n)d phiếu đang chấm"),
        NOT_STARTED: _("%(n)d phân công chưa bắt đầu"),
    }
    found = [text % {"n": counts[state]} for state, text in parts.items() if counts[state]]
    return _("Còn việc chưa xong: %(list)s.") % {"list": "; ".join(found)}


def _confirmation_problems(pending: PendingWork, *, closing: bool) -> list[str]:
    """What Internal Affairs must have seen and accepted before the round moves on."""
    found = [_pending_text(pending)] if pending.count else []
    if closing and pending.early:
        found.append(
            _("Đợt chưa đến ngày kết thúc (%(date)s).")
            % {"date": pending.round.ends_on.strftime("%d/%m/%Y")}
        )
    return found


@transaction.atomic
def round_close(*, round: Round, by: Actor, confirmed: bool = False) -> Round:
    """Lock a round. Work still open, or an end date not reached, needs `confirmed`: the
    doors show the pending list first (selectors.round_pending)."""
    require_internal_affairs(by)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    pending = round_pending(locked)
    problems = _confirmation_problems(pending, closing=True)
    if locked.status == Round.Status.OPEN and problems and not confirmed:
        raise DomainError(
            _("Hãy xem các việc còn dở và xác nhận trước khi khóa đợt."),
            fields={"confirm": problems},
            code="confirmation_required",
        )
    closed = _transition(
        locked,
        by=by,
        allowed={Round.Status.OPEN},
        to=Round.Status.CLOSED,
        action="round_closed",
        pending=pending.counts(),
        early=pending.early,
    )
    _tell_drafts_closed(closed, pending)
    return closed


def _tell_drafts_closed(round_: Round, pending: PendingWork) -> None:
    """Each inspector with a draft in the round: it can no longer be changed."""
    for rows in pending.drafts_by_inspector().values():
        inspector = rows[0].assignment.inspector
        only = rows[0].inspection if len(rows) == 1 else None
        notify(
            recipients=[inspector],
            kind="round_closed_drafts",
            key=f"round_closed_drafts:{round_.pk}:{inspector.pk}",
            data={
                "round": round_.name,
                "units": [row.assignment.unit.name for row in rows],
                "page": notices.page("result", only.pk) if only else notices.page("home"),
            },
        )


@transaction.atomic
def round_publish(
    *, round: Round, by: Actor, reason: str = "", confirmed: bool = False
) -> RankingSnapshot:
    """Freeze the ranking of a closed round; republishing needs a reason and keeps the old one.
    Work still open needs `confirmed`, and inspections not yet reviewed a reason as well."""
    require_internal_affairs(by)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    republish = locked.status == Round.Status.PUBLISHED
    if locked.status not in (Round.Status.CLOSED, Round.Status.PUBLISHED):
        raise DomainError(
            _("Chỉ công bố được đợt đã khóa."), problem=Problem.WRONG_STATE, code="round_not_closed"
        )
    if republish and not reason.strip():
        raise DomainError(
            _("Công bố lại cần nêu lý do."), fields={"reason": [_("Hãy nêu lý do công bố lại.")]}
        )
    pending = round_pending(locked)
    problems: dict[str, list[str]] = {}
    if pending.count and not confirmed:
        problems["confirm"] = _confirmation_problems(pending, closing=False)
    if pending.unreviewed and not reason.strip():
        problems["reason"] = [
            _("Còn %(n)d phiếu chưa duyệt xong: hãy nêu lý do công bố khi chưa duyệt hết.")
            % {"n": pending.unreviewed}
        ]
    if problems:
        raise DomainError(
            _("Hãy xem các việc còn dở và xác nhận trước khi công bố."),
            fields=problems,
            code="confirmation_required",
        )
    with translation.override(settings.LANGUAGE_CODE):  # names kept as published: Vietnamese
        groups = ranking_compute(round=locked)
    now = timezone.now()
    last = locked.snapshots.order_by("-number").first()
    snapshot = RankingSnapshot.objects.create(
        round=locked,
        number=(last.number if last else 0) + 1,
        published_at=now,
        published_by=by,
        reason=reason.strip(),
    )
    snapshot_store(snapshot=snapshot, groups=groups)
    locked.status = Round.Status.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at"])
    record_event(
        actor=by,
        action="round_published",
        target=locked,
        snapshot=snapshot.number,
        reason=reason,
        pending=pending.counts(),
    )
    _tell_ranking(locked, snapshot, groups)
    if retention_summary().position_days == 0:  # later: the daily task (services/retention)
        round_id = locked.pk
        transaction.on_commit(lambda: _queue_forget_positions(round_id))
    return snapshot


def _queue_forget_positions(round_id: int) -> None:
    from inspections.tasks import forget_positions  # the tasks call the services: imported late

    try:
        forget_positions(round_id)
    except Exception:  # the publication is committed; the daily task removes them
        log.warning("task queue unreachable: positions left for the daily task", exc_info=True)


def _tell_ranking(round_: Round, snapshot: RankingSnapshot, groups: list[GroupRanking]) -> None:
    """The office of each unit inspected in the round: where it stands in the ranking."""
    rows = {row.unit_id: (group, row) for group in groups for row in group.rows}
    readers = get_user_model().objects.filter(
        is_active=True, roles__kind__in=[RoleKind.LEADER, RoleKind.INTERNAL_AFFAIRS]
    )
    notify(
        recipients=readers.distinct(),
        kind="ranking_summary",
        key=f"ranking_summary:{round_.pk}:{snapshot.number}",
        data={
            "round": round_.name,
            "ranked": sum(1 for _g, row in rows.values() if row.rank is not None),
            "groups": len(groups),
            "page": notices.page("round-ranking", round_.pk),
        },
    )
    # The units with a result in the round (a join, not a list of 50,000 ids) that are listed.
    units = [u for u in OrgUnit.objects.filter(results__round=round_) if u.pk in rows]
    offices = office_people_of(units)
    page = notices.page("round-ranking", round_.pk)
    notify_each(
        kind="ranking_published",
        events=(
            Event(
                recipients=offices[unit.pk],
                key=f"ranking_published:{round_.pk}:{snapshot.number}:{unit.pk}",
                data={
                    "round": round_.name,
                    "unit": unit.name,
                    "group": rows[unit.pk][0].group_name,
                    "rank": rows[unit.pk][1].rank,
                    "page": page,
                },
            )
            for unit in units
        ),
    )


def _assignment_problems(
    *, round: Round, inspector: Actor, units: list[OrgUnit], due_on: datetime.date | None
) -> dict[str, list[str]]:
    """The people rules of an assignment: an inspector, never of their own unit."""
    problems: dict[str, list[str]] = {}
    if not policies.may_inspect(inspector):
        problems["inspector"] = [_("Người này không có vai trò cán bộ kiểm tra.")]
    if not units:
        problems["units"] = [_("Hãy chọn ít nhất một đơn vị.")]
    conflicts = policies.own_unit_conflicts(inspector=inspector, units=units)
    if conflicts:
        problems["units"] = [
            _("Cán bộ kiểm tra không được kiểm tra đơn vị của mình: %(units)s.")
            % {"units": ", ".join(conflicts)}
        ]
    if due_on is not None and due_on < round.starts_on:
        problems["due_on"] = [_("Hạn không được trước ngày bắt đầu đợt.")]
    return problems


def _lock_round_for_assignments(round: Round) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)  # not closed meanwhile
    if round.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise DomainError(
            _("Chỉ phân công được khi đợt đang chuẩn bị hoặc đang kiểm tra."),
            problem=Problem.WRONG_STATE,
        )
    return round


@transaction.atomic
def assignments_create(
    *,
    by: Actor,
    round: Round,
    inspector: Actor,
    units: Iterable[OrgUnit],
    due_on: datetime.date | None = None,
) -> list[Assignment]:
    """Assign one inspector to many units at once; all or nothing, existing ones kept."""
    require_internal_affairs(by)
    units = list(units)
    round = _lock_round_for_assignments(round)
    problems = _assignment_problems(round=round, inspector=inspector, units=units, due_on=due_on)
    if problems:
        raise DomainError(_("Chưa phân công được."), fields=problems)
    assignments, created_now = [], []
    for unit in units:
        assignment, created = Assignment.objects.get_or_create(
            round=round,
            unit=unit,
            inspector=inspector,
            defaults={"due_on": due_on, "created_by": by},
        )
        if created:
            record_event(actor=by, action="assignment_created", target=assignment)
            created_now.append(assignment)
        assignments.append(assignment)
    if created_now:
        _tell_assigned(round, inspector, created_now)
    return assignments


def _started(assignment: Assignment) -> bool:
    return Inspection.objects.filter(
        round_id=assignment.round_id,
        unit_id=assignment.unit_id,
        inspector_id=assignment.inspector_id,
        kind=Inspection.Kind.OFFICIAL,
    ).exists()


@transaction.atomic
def assignment_update(
    *,
    by: Actor,
    assignment: Assignment,
    unit: OrgUnit,
    inspector: Actor,
    due_on: datetime.date | None,
) -> Assignment:
    """Another unit, inspector or due date, under the rules of a new assignment; the unit and
    the inspector stay once the inspection has started (its answers are theirs)."""
    require_internal_affairs(by)
    stored = Assignment.objects.select_for_update().get(pk=assignment.pk)
    round = _lock_round_for_assignments(stored.round)
    started = _started(stored)  # by the inspector, for the unit, stored until now
    changes = model_update(
        instance=stored, data={"unit": unit, "inspector": inspector, "due_on": due_on}
    )
    if not changes:
        return stored
    problems = _assignment_problems(round=round, inspector=inspector, units=[unit], due_on=due_on)
    moved = {"unit", "inspector"} & set(changes)
    if moved and started:
        problems.setdefault("units", []).append(
            _("Cán bộ đã bắt đầu kiểm tra đơn vị này: không đổi được đơn vị hay người kiểm tra.")
        )
    if moved and (
        Assignment.objects.filter(round=round, unit=unit, inspector=inspector)
        .exclude(pk=stored.pk)
        .exists()
    ):
        problems.setdefault("units", []).append(_("Phân công này đã có."))
    if problems:
        raise DomainError(_("Chưa sửa được phân công."), fields=problems)
    stored.save(update_fields=list(changes))
    record_event(actor=by, action="assignment_updated", target=stored, changes=changes)
    return stored


@transaction.atomic
def assignment_remove(*, by: Actor, assignment: Assignment) -> None:
    """Withdraw an assignment that has not been started."""
    require_internal_affairs(by)
    stored = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    _lock_round_for_assignments(stored.round)
    if _started(stored):
        raise DomainError(
            _("Cán bộ đã bắt đầu kiểm tra đơn vị này: không hủy được phân công."),
            problem=Problem.WRONG_STATE,
        )
    record_event(
        actor=by,
        action="assignment_removed",
        target=stored,
        unit=stored.unit.code,
        inspector=stored.inspector_id,
    )
    stored.delete()


@transaction.atomic
def round_update(
    *,
    by: Actor,
    round: Round,
    name: str,
    version: ModelVersion,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Round:
    """A round's name, dates and model version; the version is fixed by its first inspection,
    whose answers belong to that version's criteria."""
    require_internal_affairs(by)
    locked = Round.objects.select_for_update().get(pk=round.pk)
    changes = model_update(
        instance=locked,
        data={"name": name.strip(), "version": version, "starts_on": starts_on, "ends_on": ends_on},
    )
    if not changes:
        return locked
    problems: dict[str, list[str]] = {}
    if not locked.name:
        problems["name"] = [_("Hãy đặt tên cho đợt kiểm tra.")]
    if ends_on < starts_on:
        problems["ends_on"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if "version" in changes:
        if not version.is_published:
            problems["version"] = [_("Đợt kiểm tra phải dùng một phiên bản mô hình đã ban hành.")]
        elif locked.inspections.exists():
            raise DomainError(
                _("Đợt đã có phiếu kiểm tra: không đổi được phiên bản mô hình."),
                problem=Problem.WRONG_STATE,
                fields={"version": [_("Phiên bản mô hình cố định từ phiếu kiểm tra đầu tiên.")]},
                code="round_has_inspections",
            )
    if problems:
        raise DomainError(_("Chưa sửa được đợt kiểm tra."), fields=problems)
    locked.save(update_fields=list(changes))
    record_event(actor=by, action="round_updated", target=locked, changes=changes)
    return locked


def _tell_assigned(round_: Round, inspector: Actor, assignments: list[Assignment]) -> None:
    """One notification for the units assigned in one go (a replay assigns nothing new)."""
    ids = ",".join(str(a.pk) for a in sorted(assignments, key=lambda a: a.pk))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:20]
    notify(
        recipients=[inspector],
        kind="assigned",
        key=f"assigned:{round_.pk}:{digest}",
        data={
            "round": round_.name,
            "units": [a.unit.name for a in assignments],
            "due_on": min(a.effective_due_on for a in assignments).isoformat(),
            "page": notices.page("home"),
        },
    )
