"""Rounds and assignments: open, close, publish (with a stored ranking snapshot), assign."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import (
    Assignment,
    ModelVersion,
    OrgUnit,
    RankingSnapshot,
    Round,
    UnitResult,
)
from inspections.policies import Actor, Viewer
from inspections.selectors.rankings import ranking_compute
from inspections.services.audit import record_event


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


def _transition(round_: Round, *, by: Actor, allowed: set[str], to: str, action: str) -> Round:
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
    record_event(actor=by, action=action, target=locked, **{"from": previous, "to": to})
    return locked


@transaction.atomic
def round_open(*, round: Round, by: Actor) -> Round:
    return _transition(
        round, by=by, allowed={Round.Status.DRAFT}, to=Round.Status.OPEN, action="round_opened"
    )


@transaction.atomic
def round_close(*, round: Round, by: Actor) -> Round:
    return _transition(
        round, by=by, allowed={Round.Status.OPEN}, to=Round.Status.CLOSED, action="round_closed"
    )


@transaction.atomic
def round_publish(*, round: Round, by: Actor, reason: str = "") -> RankingSnapshot:
    """Freeze the ranking of a closed round; republishing needs a reason and keeps the old one."""
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
    groups = ranking_compute(round=locked)
    now = timezone.now()
    last = locked.snapshots.order_by("-number").first()
    snapshot = RankingSnapshot.objects.create(
        round=locked,
        number=(last.number if last else 0) + 1,
        published_at=now,
        published_by=by,
        reason=reason.strip(),
        data={"groups": [group.as_json() for group in groups]},
    )
    ranks = {row.unit_id: (group.group_id, row.rank) for group in groups for row in group.rows}
    results = list(UnitResult.objects.filter(round=locked))
    for result in results:
        group_id, rank = ranks.get(result.unit_id, (result.group_id, None))
        result.group_id, result.rank = group_id, rank
    UnitResult.objects.bulk_update(results, ["group", "rank"], batch_size=500)
    locked.status = Round.Status.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at"])
    record_event(
        actor=by, action="round_published", target=locked, snapshot=snapshot.number, reason=reason
    )
    return snapshot


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
    round = Round.objects.select_for_update().get(pk=round.pk)  # not closed meanwhile
    if round.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise DomainError(
            _("Chỉ phân công được khi đợt đang chuẩn bị hoặc đang kiểm tra."),
            problem=Problem.WRONG_STATE,
        )
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
    if problems:
        raise DomainError(_("Chưa phân công được."), fields=problems)
    assignments = []
    for unit in units:
        assignment, created = Assignment.objects.get_or_create(
            round=round,
            unit=unit,
            inspector=inspector,
            defaults={"due_on": due_on, "created_by": by},
        )
        if created:
            record_event(actor=by, action="assignment_created", target=assignment)
        assignments.append(assignment)
    return assignments
