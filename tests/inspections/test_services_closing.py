"""Locking and publishing a round with work still open: listed, refused unless confirmed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from inspections.errors import Problem
from inspections.models import Event, Inspection, Notification, RankingSnapshot, Round
from inspections.selectors import round_pending
from inspections.services import inspection_create, round_close, round_publish
from tests.inspections.builders import (
    approved_inspection,
    assign,
    refusal,
    submitted_inspection,
)


@pytest.fixture
def busy_round(open_round: Round, org: Any, cast: Any) -> Round:
    """One of each: approved (ward), submitted (school), draft (Sở Tài chính by the other
    inspector), not started (the city, by the inspector)."""
    ia = cast.internal_affairs
    approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    submitted_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    assign(open_round, org.thi_dua, cast.other_inspector, by=ia)
    inspection_create(by=cast.other_inspector, round=open_round, unit=org.thi_dua)
    assign(open_round, org.tai_chinh, cast.inspector, by=ia)
    return open_round


def test_the_pending_work_of_a_round_is_listed_per_state_inspector_and_unit(
    busy_round: Round, org: Any, cast: Any
) -> None:
    pending = round_pending(busy_round)
    assert pending.counts() == {"submitted": 1, "returned": 0, "draft": 1, "not_started": 1}
    assert pending.count == 3 and pending.unreviewed == 1
    listed = {
        (state, row.assignment.unit.code, row.assignment.inspector.username)
        for state, rows in pending.groups()
        for row in rows
    }
    assert listed == {
        ("submitted", org.school.code, "kiemtra1"),
        ("draft", org.thi_dua.code, "kiemtra2"),
        ("not_started", org.tai_chinh.code, "kiemtra1"),
    }


def test_closing_with_work_open_is_refused_without_confirmation_and_says_what_is_open(
    busy_round: Round, cast: Any
) -> None:
    error = refusal(Problem.INVALID, round_close, round=busy_round, by=cast.internal_affairs)
    assert error.code == "confirmation_required"
    said = " ".join(error.fields["confirm"])
    assert "1 phiếu đã nộp chưa duyệt" in said and "1 phiếu đang chấm" in said
    assert "1 phân công chưa bắt đầu" in said and "bị trả lại" not in said
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.OPEN


def test_closing_before_the_end_date_says_so_even_with_nothing_open(
    open_round: Round, cast: Any
) -> None:
    open_round.ends_on = datetime.date.today() + datetime.timedelta(days=3)
    open_round.save()
    error = refusal(Problem.INVALID, round_close, round=open_round, by=cast.internal_affairs)
    assert error.fields["confirm"] == [
        f"Đợt chưa đến ngày kết thúc ({open_round.ends_on:%d/%m/%Y})."
    ]


def test_a_round_past_its_end_with_everything_approved_closes_without_confirmation(
    open_round: Round, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    Round.objects.filter(pk=open_round.pk).update(ends_on=datetime.date(2026, 10, 2))
    assert round_close(round=open_round, by=cast.internal_affairs).status == Round.Status.CLOSED


def test_a_confirmed_close_records_what_was_open_and_tells_inspectors_with_drafts(
    busy_round: Round, cast: Any
) -> None:
    round_close(round=busy_round, by=cast.internal_affairs, confirmed=True)
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.CLOSED
    event = Event.objects.get(action="round_closed")
    assert event.data["pending"] == {"submitted": 1, "returned": 0, "draft": 1, "not_started": 1}
    assert event.data["early"] is True
    told = Notification.objects.filter(kind="round_closed_drafts")
    assert [n.recipient for n in told] == [cast.other_inspector]  # the draft's inspector only
    assert told.get().data["units"] == [
        busy_round.assignments.get(inspector=cast.other_inspector).unit.name
    ]


def test_publishing_with_inspections_not_reviewed_needs_a_confirmation_and_a_reason(
    busy_round: Round, cast: Any
) -> None:
    ia = cast.internal_affairs
    round_close(round=busy_round, by=ia, confirmed=True)
    error = refusal(Problem.INVALID, round_publish, round=busy_round, by=ia)
    assert set(error.fields) == {"confirm", "reason"}
    error = refusal(Problem.INVALID, round_publish, round=busy_round, by=ia, confirmed=True)
    assert set(error.fields) == {"reason"}
    assert not RankingSnapshot.objects.exists()
    reason = "Trường An Lạc chưa duyệt kịp; công bố theo kế hoạch."
    snapshot = round_publish(round=busy_round, by=ia, confirmed=True, reason=reason)
    assert snapshot.reason == reason
    event = Event.objects.get(action="round_published")
    assert event.data["reason"] == reason and event.data["pending"]["submitted"] == 1


def test_publishing_with_only_unstarted_work_needs_a_confirmation_but_no_reason(
    open_round: Round, org: Any, cast: Any
) -> None:
    ia = cast.internal_affairs
    approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    assign(open_round, org.tai_chinh, cast.inspector, by=ia)
    round_close(round=open_round, by=ia, confirmed=True)
    error = refusal(Problem.INVALID, round_publish, round=open_round, by=ia)
    assert set(error.fields) == {"confirm"}
    assert round_publish(round=open_round, by=ia, confirmed=True).number == 1


def test_a_draft_of_a_locked_round_can_no_longer_be_changed(
    busy_round: Round, org: Any, cast: Any
) -> None:
    from inspections.services import answer_set

    round_close(round=busy_round, by=cast.internal_affairs, confirmed=True)
    draft = Inspection.objects.get(unit=org.thi_dua)
    refusal(
        Problem.WRONG_STATE,
        answer_set,
        by=cast.other_inspector,
        inspection=draft,
        criterion_code="A1",
        value=4,
    )
