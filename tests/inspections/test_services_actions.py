"""Corrective actions: opened on approval, answered by the unit, verified or reopened."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from inspections.errors import Problem
from inspections.models import ActionResponse, CorrectiveAction, Event, EvidencePhoto
from inspections.services import (
    action_reopen,
    action_verify,
    inspection_approve,
    inspection_revise,
)
from inspections.services import action_respond as respond
from tests.factories import jpeg_bytes
from tests.inspections.builders import refusal, submitted_inspection

pytestmark = pytest.mark.django_db

Status = CorrectiveAction.Status


@pytest.fixture
def submitted(open_round, org, cast):
    """Phường An Lạc: the ★ item A5 failed, B6 at level 2 flagged, B1 flagged at full marks."""
    return submitted_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": (False, "Lối thoát hiểm bị chắn."), "B6": (2, "Rác chưa phân loại.")},
        flagged={"B6", "B1"},
    )


@pytest.fixture
def approved(submitted, cast):
    return inspection_approve(by=cast.internal_affairs, inspection=submitted)


@pytest.fixture
def action(approved):
    return approved.actions.get(criterion__code="A5")


def action_respond(**kwargs: object) -> ActionResponse:
    """A response with one photo after the fix: A5 (the action most tests use) needs one."""
    return respond(files=[jpeg_bytes()], **kwargs)  # type: ignore[arg-type]


def test_nothing_is_opened_before_approval(submitted):
    assert not CorrectiveAction.objects.exists()


def test_approval_opens_one_action_per_failed_star_item_and_flagged_answer(approved, org):
    actions = {a.criterion.code: a for a in CorrectiveAction.objects.select_related("criterion")}
    assert set(actions) == {"A5", "B1", "B6"}
    assert actions["A5"].reason == CorrectiveAction.Reason.CRITICAL_FAILED
    assert actions["A5"].finding == "Lối thoát hiểm bị chắn."
    assert actions["B6"].reason == actions["B1"].reason == CorrectiveAction.Reason.FLAGGED
    approved_on = timezone.localdate(approved.approved_at)
    for action in actions.values():
        assert action.status == Status.OPEN
        assert action.unit == org.ward and action.inspection == approved
        assert action.due_on == approved_on + datetime.timedelta(days=14)  # version: 14 days
    assert Event.objects.filter(action="action_opened").count() == 3


def test_the_units_office_user_responds_with_a_note(action, cast):
    response = action_respond(by=cast.ward_office, action=action, note=" Đã dọn lối thoát hiểm. ")
    action.refresh_from_db()
    assert action.status == Status.RESPONDED
    assert response.note == "Đã dọn lối thoát hiểm." and response.created_by == cast.ward_office
    event = Event.objects.get(action="action_responded")
    assert (event.actor, event.object_type, event.object_id) == (
        cast.ward_office,
        "correctiveaction",
        str(action.pk),
    )


def test_a_response_needs_a_note(action, cast):
    error = refusal(Problem.INVALID, action_respond, by=cast.ward_office, action=action, note=" ")
    assert "note" in error.fields
    action.refresh_from_db()
    assert action.status == Status.OPEN and not ActionResponse.objects.exists()


def test_only_the_units_office_user_responds(action, cast):
    for someone in (cast.department_office, cast.inspector, cast.internal_affairs, cast.leader):
        refusal(Problem.FORBIDDEN, action_respond, by=someone, action=action, note="Đã sửa.")
    action.refresh_from_db()
    assert action.status == Status.OPEN and not ActionResponse.objects.exists()


@pytest.mark.parametrize("verifier", ["internal_affairs", "inspector"])
def test_internal_affairs_or_the_inspector_verifies_a_response(action, cast, verifier):
    by = getattr(cast, verifier)
    action_respond(by=cast.ward_office, action=action, note="Đã dọn lối thoát hiểm.")
    action_verify(by=by, action=action, note="Đã kiểm tra lại, đạt.")
    action.refresh_from_db()
    assert action.status == Status.VERIFIED
    assert action.verified_by == by and action.verified_at is not None
    assert action.verification_note == "Đã kiểm tra lại, đạt."
    assert Event.objects.filter(action="action_verified", actor=by).count() == 1


def test_nobody_else_verifies_or_reopens(action, cast):
    action_respond(by=cast.ward_office, action=action, note="Đã dọn lối thoát hiểm.")
    for someone in (cast.other_inspector, cast.ward_office, cast.leader):
        refusal(Problem.FORBIDDEN, action_verify, by=someone, action=action)
        refusal(Problem.FORBIDDEN, action_reopen, by=someone, action=action, note="Chưa đạt.")
    action.refresh_from_db()
    assert action.status == Status.RESPONDED


def test_an_action_without_a_response_is_neither_verified_nor_reopened(action, cast):
    refusal(Problem.WRONG_STATE, action_verify, by=cast.internal_affairs, action=action)
    refusal(
        Problem.WRONG_STATE, action_reopen, by=cast.internal_affairs, action=action, note="Chưa."
    )
    action.refresh_from_db()
    assert action.status == Status.OPEN


def test_reopening_needs_a_note_and_lets_the_unit_respond_again(action, cast):
    action_respond(by=cast.ward_office, action=action, note="Đã dọn lối thoát hiểm.")
    error = refusal(Problem.INVALID, action_reopen, by=cast.inspector, action=action, note="")
    assert "note" in error.fields
    action_reopen(by=cast.inspector, action=action, note="Vẫn còn thùng hàng ở cầu thang.")
    action.refresh_from_db()
    assert action.status == Status.REOPENED
    assert action.verification_note == "Vẫn còn thùng hàng ở cầu thang."

    action_respond(by=cast.ward_office, action=action, note="Đã chuyển thùng hàng vào kho.")
    action.refresh_from_db()
    assert action.status == Status.RESPONDED and action.responses.count() == 2


def test_a_responded_action_cannot_be_answered_twice(action, cast):
    action_respond(by=cast.ward_office, action=action, note="Đã dọn lối thoát hiểm.")
    refusal(
        Problem.WRONG_STATE, action_respond, by=cast.ward_office, action=action, note="Lần nữa."
    )
    assert action.responses.count() == 1


def test_a_revision_that_makes_the_failed_star_item_pass_supersedes_its_action(
    approved, action, cast
):
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Biên bản phúc tra: lối thoát hiểm thông thoáng.",
        answers={"A5": {"value": True}},
    )
    action.refresh_from_db()
    assert action.status == Status.SUPERSEDED
    statuses = dict(CorrectiveAction.objects.values_list("criterion__code", "status"))
    assert statuses == {"A5": Status.SUPERSEDED, "B1": Status.OPEN, "B6": Status.OPEN}
    event = Event.objects.get(action="action_superseded")
    assert event.object_id == str(action.pk) and event.actor == cast.internal_affairs


def test_a_revision_that_fails_a_star_item_opens_an_action(approved, cast):
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Biên bản phúc tra: thiếu nội quy.",
        answers={"C1": {"value": False, "note": "Chưa niêm yết nội quy."}},
    )
    opened = approved.actions.get(criterion__code="C1")
    assert opened.status == Status.OPEN
    assert opened.reason == CorrectiveAction.Reason.CRITICAL_FAILED


def test_an_open_action_is_overdue_the_day_after_it_was_due(approved):
    from inspections.selectors import open_actions, overdue_on, units_with_overdue_actions

    action = CorrectiveAction.objects.filter(inspection=approved).first()
    assert action is not None
    assert not overdue_on(action, action.due_on)
    assert overdue_on(action, action.due_on + datetime.timedelta(days=1))
    assert units_with_overdue_actions() == []  # due in 14 days: nothing late today
    CorrectiveAction.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    late = units_with_overdue_actions()
    assert [(row["unit__code"], row["n"]) for row in late] == [(action.unit.code, 1)]
    assert action in open_actions(approved.inspector, action.unit)


def test_a_response_to_an_item_that_needs_evidence_is_refused_without_a_photo(action, cast):
    assert action.criterion.evidence == "photo"
    error = refusal(Problem.INVALID, respond, by=cast.ward_office, action=action, note="Đã sửa.")
    assert "files" in error.fields
    action.refresh_from_db()
    assert action.status == Status.OPEN and not ActionResponse.objects.exists()


def test_the_photos_of_a_response_are_kept_with_it_and_counted_on_its_event(action, cast):
    response = respond(
        by=cast.ward_office, action=action, note="Đã dọn.", files=[jpeg_bytes(), jpeg_bytes()]
    )
    assert EvidencePhoto.objects.filter(action_response=response).count() == 2
    assert Event.objects.get(action="action_responded").data["photos"] == 2


def test_an_item_that_needs_no_evidence_is_answered_with_a_note_alone(open_round, org, cast):
    approved = inspection_approve(
        by=cast.internal_affairs,
        inspection=submitted_inspection(
            open_round,
            org.ward,
            cast.inspector,
            internal_affairs=cast.internal_affairs,
            value_for={"C6": (False, "Có người hút thuốc ở cầu thang.")},
            flagged={"C6"},
        ),
    )
    action = approved.actions.get(criterion__code="C6")
    assert action.criterion.evidence == "none"
    respond(by=cast.ward_office, action=action, note="Đã nhắc nhở và dán biển cấm hút thuốc.")
    action.refresh_from_db()
    assert action.status == Status.RESPONDED


def test_the_revision_that_supersedes_an_action_is_on_its_event(approved, action, cast):
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Biên bản phúc tra.",
        answers={"A5": {"value": True}},
    )
    assert Event.objects.get(action="action_superseded").data["revision"] == 2
    assert (
        Event.objects.filter(action="action_opened", object_id=str(action.pk))
        .get()
        .data["revision"]
        == 1
    )
