"""Review of a submitted inspection: return, resubmit, approve, revise; and self-assessments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspections.errors import Problem
from inspections.models import (
    Event,
    Inspection,
    InspectionRevision,
    RoleKind,
    UnitResult,
    UserRole,
)
from inspections.services import (
    answer_set,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_revise,
    inspection_submit,
)
from tests.factories import make_user
from tests.inspections.builders import (
    answer_everything,
    approved_inspection,
    assign,
    attach_evidence,
    refusal,
    submitted_inspection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_round, org, cast):
    """kiemtra1's submitted inspection of Phường An Lạc, full marks."""
    return submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )


# Returning


def test_returning_needs_a_reason(submitted, cast):
    error = refusal(
        Problem.INVALID,
        inspection_return,
        by=cast.internal_affairs,
        inspection=submitted,
        reason="  ",
        criteria=["A5"],
    )
    assert "reason" in error.fields
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SUBMITTED


def test_returning_refuses_criterion_codes_the_model_does_not_have(submitted, cast):
    error = refusal(
        Problem.INVALID,
        inspection_return,
        by=cast.internal_affairs,
        inspection=submitted,
        reason="Ảnh chưa rõ.",
        criteria=["A5", "Z9"],
    )
    assert "Z9" in error.fields["criteria"][0]
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SUBMITTED and submitted.returned_criteria == []


def test_only_internal_affairs_returns_an_inspection(submitted, cast):
    for someone in (cast.inspector, cast.leader, cast.ward_office):
        refusal(
            Problem.FORBIDDEN,
            inspection_return,
            by=someone,
            inspection=submitted,
            reason="Ảnh chưa rõ.",
        )
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SUBMITTED


def test_a_returned_inspection_is_edited_and_resubmitted_by_its_inspector(submitted, cast):
    inspection_return(
        by=cast.internal_affairs,
        inspection=submitted,
        reason="Ảnh A5 và B6 chưa rõ.",
        criteria=["A5", "B6", "A5"],
    )
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.RETURNED
    assert submitted.return_reason == "Ảnh A5 và B6 chưa rõ."
    assert submitted.returned_criteria == ["A5", "B6"]
    event = Event.objects.get(action="inspection_returned")
    assert event.actor == cast.internal_affairs and event.data["criteria"] == ["A5", "B6"]

    answer_set(by=cast.inspector, inspection=submitted, criterion_code="B6", value=3)
    inspection_submit(by=cast.inspector, inspection=submitted)
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SUBMITTED
    assert submitted.score == Decimal("99.00")  # B6: 4 × 3/4 = 3 of 4 points

    inspection_approve(by=cast.internal_affairs, inspection=submitted)
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.APPROVED
    assert (submitted.return_reason, submitted.returned_criteria) == ("", [])


# Approving


def test_internal_affairs_approves_a_submitted_inspection(submitted, cast):
    inspection_approve(by=cast.internal_affairs, inspection=submitted)
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.APPROVED
    assert submitted.approved_by == cast.internal_affairs and submitted.approved_at is not None
    event = Event.objects.get(action="inspection_approved")
    assert (event.actor, event.object_type, event.object_id) == (
        cast.internal_affairs,
        "inspection",
        str(submitted.pk),
    )


@pytest.mark.parametrize("unit_name", ["noi_vu", "thi_dua"])
def test_internal_affairs_does_not_approve_an_inspection_of_its_own_unit(
    open_round, org, cast, unit_name
):
    # kiemtra2 (Sở Tài chính) may inspect Sở Nội vụ and Ban Thi đua; Nội vụ may not approve them.
    inspection = submitted_inspection(
        open_round,
        getattr(org, unit_name),
        cast.other_inspector,
        internal_affairs=cast.internal_affairs,
    )
    refusal(Problem.FORBIDDEN, inspection_approve, by=cast.internal_affairs, inspection=inspection)
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED and inspection.approved_by is None


def test_nobody_but_internal_affairs_approves(submitted, cast):
    for someone in (cast.inspector, cast.leader, cast.ward_office, cast.outsider):
        refusal(Problem.FORBIDDEN, inspection_approve, by=someone, inspection=submitted)
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.SUBMITTED


def test_a_draft_cannot_be_approved(open_round, org, cast):
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    draft, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    refusal(Problem.WRONG_STATE, inspection_approve, by=cast.internal_affairs, inspection=draft)
    draft.refresh_from_db()
    assert draft.state == Inspection.State.DRAFT


def test_an_approved_inspection_is_frozen(submitted, cast):
    inspection_approve(by=cast.internal_affairs, inspection=submitted)
    refusal(
        Problem.WRONG_STATE,
        answer_set,
        by=cast.inspector,
        inspection=submitted,
        criterion_code="A1",
        value=0,
    )
    refusal(Problem.WRONG_STATE, inspection_approve, by=cast.internal_affairs, inspection=submitted)


# Revising an approved inspection


@pytest.fixture
def approved(open_round, org, cast):
    """Phường An Lạc, approved at 97.00: A1 at level 0 loses its 3 points."""
    return approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (0, "Hồ sơ để lẫn lộn.")},
    )


def test_a_revision_is_a_new_revision_that_keeps_the_earlier_one(approved, org, cast):
    approved_at = approved.approved_at
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Chấm nhầm A1 theo biên bản phúc tra.",
        answers={"A1": {"value": 4, "note": "Đã sắp xếp lại."}},
    )
    approved.refresh_from_db()
    assert approved.revision == 2
    assert approved.state == Inspection.State.APPROVED
    assert approved.score == Decimal("100.00")
    assert approved.revision_reason == "Chấm nhầm A1 theo biên bản phúc tra."

    earlier = InspectionRevision.objects.get(inspection=approved)
    assert earlier.revision == 1 and earlier.created_by == cast.internal_affairs
    assert earlier.reason == "Chấm nhầm A1 theo biên bản phúc tra."
    assert earlier.data["score"] == "97.00"
    assert earlier.data["classification"] == "xuat_sac"
    assert earlier.data["approved_at"] == approved_at.isoformat()
    assert earlier.data["answers"]["A1"] == {
        "value": "0",
        "note": "Hồ sơ để lẫn lộn.",
        "flagged": False,
    }
    assert len(earlier.data["answers"]) == 32

    # Only the latest revision counts for the unit.
    assert UnitResult.objects.get(unit=org.ward).score == Decimal("100.00")
    event = Event.objects.get(action="inspection_revised")
    assert event.actor == cast.internal_affairs and event.data["revision"] == 2


def test_a_second_revision_keeps_both_earlier_ones(approved, cast):
    for level, reason in ((2, "Phúc tra lần 1."), (3, "Phúc tra lần 2.")):
        inspection_revise(
            by=cast.internal_affairs,
            inspection=approved,
            reason=reason,
            answers={"A1": {"value": level}},
        )
    approved.refresh_from_db()
    assert approved.revision == 3
    kept = InspectionRevision.objects.filter(inspection=approved).order_by("revision")
    assert [(r.revision, r.data["answers"]["A1"]["value"]) for r in kept] == [(1, "0"), (2, "2")]


def test_revising_needs_a_reason(approved, cast):
    error = refusal(
        Problem.INVALID,
        inspection_revise,
        by=cast.internal_affairs,
        inspection=approved,
        reason="",
        answers={"A1": {"value": 4}},
    )
    assert "reason" in error.fields
    approved.refresh_from_db()
    assert approved.revision == 1 and approved.score == Decimal("97.00")
    assert not InspectionRevision.objects.exists()


def test_only_an_approved_inspection_is_revised(submitted, cast):
    refusal(
        Problem.WRONG_STATE,
        inspection_revise,
        by=cast.internal_affairs,
        inspection=submitted,
        reason="Chấm nhầm.",
        answers={"A1": {"value": 0}},
    )
    submitted.refresh_from_db()
    assert submitted.revision == 1
    assert not InspectionRevision.objects.exists()


def test_only_internal_affairs_revises(approved, cast):
    for someone in (cast.inspector, cast.leader):
        refusal(
            Problem.FORBIDDEN,
            inspection_revise,
            by=someone,
            inspection=approved,
            reason="Chấm nhầm.",
            answers={"A1": {"value": 4}},
        )
    approved.refresh_from_db()
    assert approved.revision == 1


def test_a_revision_of_a_note_alone_keeps_the_answer(approved, cast):
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Bổ sung ghi chú.",
        answers={"A1": {"note": "Hồ sơ để lẫn lộn, thiếu nhãn."}},
    )
    approved.refresh_from_db()
    answer = approved.answers.get(criterion__code="A1")
    assert (answer.level, answer.note) == (0, "Hồ sơ để lẫn lộn, thiếu nhãn.")
    assert approved.score == Decimal("97.00") and approved.revision == 2


def test_a_revision_may_not_leave_a_criterion_unanswered_or_na_without_a_note(approved, cast):
    error = refusal(
        Problem.INVALID,
        inspection_revise,
        by=cast.internal_affairs,
        inspection=approved,
        reason="Chấm lại.",
        answers={"A1": {"value": None}, "A7": {"value": "na"}},
    )
    assert set(error.fields) == {"A1", "A7"}
    approved.refresh_from_db()
    assert approved.revision == 1 and approved.answers.get(criterion__code="A1").level == 0
    assert not InspectionRevision.objects.exists()


# Self-assessment


def _self_assessment(round_, unit, office_user):
    inspection, _created = inspection_create(
        by=office_user, round=round_, unit=unit, kind=Inspection.Kind.SELF
    )
    answer_everything(inspection, office_user)
    attach_evidence(inspection, office_user)
    return inspection_submit(by=office_user, inspection=inspection)


def test_a_unit_assesses_itself_through_its_office_user(open_round, org, cast):
    for unit in (org.ward, org.school):  # the school is below the ward: its own unit too
        inspection, created = inspection_create(
            by=cast.ward_office, round=open_round, unit=unit, kind=Inspection.Kind.SELF
        )
        assert created and inspection.kind == Inspection.Kind.SELF
        assert inspection.inspector == cast.ward_office


def test_only_the_units_own_office_user_assesses_it(open_round, org, cast):
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    for someone in (cast.department_office, cast.inspector, cast.internal_affairs):
        refusal(
            Problem.FORBIDDEN,
            inspection_create,
            by=someone,
            round=open_round,
            unit=org.ward,
            kind=Inspection.Kind.SELF,
        )
    assert not Inspection.objects.exists()


def test_a_submitted_self_assessment_is_final_and_never_approved(open_round, org, cast):
    inspection = _self_assessment(open_round, org.ward, cast.ward_office)
    assert inspection.state == Inspection.State.SUBMITTED
    refusal(
        Problem.WRONG_STATE,
        answer_set,
        by=cast.ward_office,
        inspection=inspection,
        criterion_code="A1",
        value=0,
    )
    refusal(
        Problem.WRONG_STATE, inspection_approve, by=cast.internal_affairs, inspection=inspection
    )
    refusal(
        Problem.WRONG_STATE,
        inspection_return,
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Xem lại.",
    )
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    assert not inspection.actions.exists()
    assert not UnitResult.objects.filter(unit=org.ward).exists()


def test_a_self_assessment_does_not_count_in_the_unit_result(open_round, org, cast):
    _self_assessment(open_round, org.ward, cast.ward_office)  # 100 points, submitted for good
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 0},
    )
    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    assert result.score == Decimal("97.00")
    assert result.inspection_count == 1
    assert not result.provisional  # the self-assessment is not an official inspection waiting


# Nobody reviews their own work, whatever roles they hold

EXTRA_ROLES = [
    pytest.param([(RoleKind.INTERNAL_AFFAIRS, "tai_chinh")], id="inspector+internal-affairs"),
    pytest.param(
        [(RoleKind.INTERNAL_AFFAIRS, "tai_chinh"), (RoleKind.LEADER, None)],
        id="inspector+internal-affairs+leader",
    ),
    pytest.param(
        [(RoleKind.INTERNAL_AFFAIRS, "tai_chinh"), (RoleKind.OFFICE, "noi_vu")],
        id="inspector+internal-affairs+office",
    ),
    pytest.param(
        [(RoleKind.INTERNAL_AFFAIRS, "noi_vu"), (RoleKind.INTERNAL_AFFAIRS, "tai_chinh")],
        id="inspector+internal-affairs-twice",
    ),
]


@pytest.mark.parametrize("extra", EXTRA_ROLES)
def test_the_inspector_never_approves_returns_or_revises_their_own_inspection(
    open_round, org, cast, extra
):
    person = make_user("hai-vai", RoleKind.INSPECTOR, org.tai_chinh)
    for kind, unit in extra:
        UserRole.objects.create(user=person, kind=kind, unit=getattr(org, unit) if unit else None)
    own = submitted_inspection(open_round, org.ward, person, internal_affairs=cast.internal_affairs)
    last_event = Event.objects.order_by("pk").values_list("pk", flat=True).last()
    for call, kwargs in (
        (inspection_approve, {}),
        (inspection_return, {"reason": "Tự trả lại."}),
    ):
        refused = refusal(Problem.FORBIDDEN, call, by=person, inspection=own, **kwargs)
        assert refused.code == "own_inspection"
        assert "không được tự duyệt" in refused.message
    own.refresh_from_db()
    assert own.state == Inspection.State.SUBMITTED and own.approved_by is None
    inspection_approve(by=cast.internal_affairs, inspection=own)  # a second person may
    refused = refusal(
        Problem.FORBIDDEN,
        inspection_revise,
        by=person,
        inspection=own,
        reason="Tự sửa.",
        answers={"A1": {"value": 0}},
    )
    assert refused.code == "own_inspection"
    own.refresh_from_db()
    assert own.revision == 1 and own.approved_by == cast.internal_affairs
    assert not Event.objects.filter(actor=person, pk__gt=last_event).exists()


def test_a_reviewer_with_any_role_at_the_unit_does_not_approve_or_revise_it(open_round, org, cast):
    # Nội vụ's Internal Affairs user also holds the ward's office role.
    UserRole.objects.create(user=cast.internal_affairs, kind=RoleKind.OFFICE, unit=org.ward)
    inspection = submitted_inspection(
        open_round, org.school, cast.other_inspector, internal_affairs=cast.internal_affairs
    )
    reviewer = fresh(cast.internal_affairs)  # as the next request would load it
    refused = refusal(Problem.FORBIDDEN, inspection_approve, by=reviewer, inspection=inspection)
    assert refused.code == "own_unit"
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED


def test_an_inspector_who_joined_the_unit_meanwhile_is_not_approved(open_round, org, cast):
    assign(open_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(
        by=cast.other_inspector, round=open_round, unit=org.ward
    )
    UserRole.objects.create(user=cast.other_inspector, kind=RoleKind.OFFICE, unit=org.ward)
    answer_everything(inspection, cast.other_inspector)
    attach_evidence(inspection, cast.other_inspector)
    inspection_submit(by=cast.other_inspector, inspection=inspection)
    refused = refusal(
        Problem.FORBIDDEN, inspection_approve, by=cast.internal_affairs, inspection=inspection
    )
    assert "thuộc đơn vị được kiểm tra" in refused.message
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED


def test_the_inspection_of_a_unit_starts_only_outside_the_inspectors_units(open_round, org, cast):
    # Assigned while elsewhere, then given a role at the unit: the start is refused.
    assign(open_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    UserRole.objects.create(user=cast.other_inspector, kind=RoleKind.OFFICE, unit=org.city)
    refusal(
        Problem.FORBIDDEN,
        inspection_create,
        by=fresh(cast.other_inspector),
        round=open_round,
        unit=org.ward,
    )
    assert not Inspection.objects.exists()


def fresh(user):
    """The user as a new request loads it (roles are read once per user object)."""
    return type(user).objects.get(pk=user.pk)
