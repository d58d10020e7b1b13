"""Starting an inspection, answering it and submitting it (BRIEF lifecycle, rule 5)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from inspections.errors import Problem
from inspections.models import Answer, Assignment, Event, Inspection
from inspections.services import (
    answer_set,
    assignments_create,
    inspection_create,
    inspection_submit,
    round_close,
    round_create,
    submit_problems,
)
from tests.inspections.builders import (
    answer_everything,
    assign,
    attach_evidence,
    refusal,
    submitted_inspection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_round, org, cast):
    """kiemtra1's draft inspection of Sở Tài chính."""
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(
        by=cast.inspector, round=open_round, unit=org.tai_chinh
    )
    return inspection


# Creating


def test_the_same_client_id_again_returns_the_same_inspection(open_round, org, cast):
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    client_id = uuid.uuid4()
    first, created = inspection_create(
        by=cast.inspector, round=open_round, unit=org.tai_chinh, id=client_id
    )
    again, created_again = inspection_create(
        by=cast.inspector, round=open_round, unit=org.tai_chinh, id=client_id
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk == client_id
    assert Inspection.objects.count() == 1
    assert first.unit_name_snapshot == "Sở Tài chính"
    assert first.state == Inspection.State.DRAFT and first.inspector == cast.inspector


def test_the_same_client_id_with_other_values_is_a_conflict(open_round, org, cast):
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    client_id = uuid.uuid4()
    inspection_create(by=cast.inspector, round=open_round, unit=org.tai_chinh, id=client_id)
    error = refusal(
        Problem.WRONG_STATE,
        inspection_create,
        by=cast.inspector,
        round=open_round,
        unit=org.ward,
        id=client_id,
    )
    assert error.code == "id_conflict"
    assert "id" in error.fields
    assert Inspection.objects.get().unit == org.tai_chinh


def test_a_replayed_client_id_is_asked_the_same_permission_as_a_first_create(open_round, org, cast):
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    client_id = uuid.uuid4()
    inspection_create(by=cast.inspector, round=open_round, unit=org.tai_chinh, id=client_id)
    for by, kind in ((cast.other_inspector, "official"), (cast.department_office, "self")):
        replayed = refusal(
            Problem.FORBIDDEN,
            inspection_create,
            by=by,
            round=open_round,
            unit=org.tai_chinh if kind == "official" else org.ward,
            kind=kind,
            id=client_id,
        )
        first = refusal(
            Problem.FORBIDDEN,
            inspection_create,
            by=by,
            round=open_round,
            unit=org.tai_chinh if kind == "official" else org.ward,
            kind=kind,
        )
        assert replayed.message == first.message
    assert Inspection.objects.count() == 1


def test_a_photo_id_replayed_by_someone_who_may_not_add_photos_is_forbidden(draft, cast):
    from inspections.services import photo_attach
    from tests.factories import jpeg_bytes

    photo, _created = photo_attach(
        by=cast.inspector, inspection=draft, data=jpeg_bytes(), id=uuid.uuid4()
    )
    for by in (cast.internal_affairs, cast.department_office, cast.other_inspector):
        refusal(Problem.FORBIDDEN, photo_attach, by=by, inspection=draft, data=b"", id=photo.pk)
    assert draft.photos.count() == 1


def test_a_second_inspection_of_the_same_unit_by_the_same_inspector_is_refused(draft, cast):
    error = refusal(
        Problem.WRONG_STATE,
        inspection_create,
        by=cast.inspector,
        round=draft.round,
        unit=draft.unit,
    )
    assert error.code == "inspection_exists"
    assert Inspection.objects.count() == 1


def test_an_inspector_who_is_not_assigned_may_not_start_an_inspection(open_round, org, cast):
    assign(open_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    refusal(
        Problem.FORBIDDEN, inspection_create, by=cast.inspector, round=open_round, unit=org.ward
    )
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("unit_name", "expected"),
    [("noi_vu", "Sở Nội vụ"), ("thi_dua", "Ban Thi đua – Khen thưởng")],
)
def test_an_inspector_is_not_assigned_to_their_own_unit_or_one_below_it(
    open_round, org, cast, unit_name, expected
):
    error = refusal(
        Problem.INVALID,
        assignments_create,
        by=cast.internal_affairs,
        round=open_round,
        inspector=cast.inspector,
        units=[org.tai_chinh, getattr(org, unit_name)],
    )
    assert expected in " ".join(error.fields["units"])
    assert not Assignment.objects.exists()  # all or nothing: Sở Tài chính was not assigned either


def test_an_inspector_may_not_inspect_their_own_unit_even_with_an_assignment(open_round, org, cast):
    # An assignment made before the inspector joined Sở Nội vụ, say: creating still refuses.
    Assignment.objects.create(round=open_round, unit=org.thi_dua, inspector=cast.inspector)
    refusal(
        Problem.FORBIDDEN, inspection_create, by=cast.inspector, round=open_round, unit=org.thi_dua
    )
    assert not Inspection.objects.exists()


def test_no_inspection_starts_in_a_round_that_is_not_open(open_round, version, org, cast):
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    refusal(
        Problem.WRONG_STATE,
        inspection_create,
        by=cast.inspector,
        round=open_round,
        unit=org.tai_chinh,
    )
    upcoming = round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    assign(upcoming, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    refusal(
        Problem.WRONG_STATE,
        inspection_create,
        by=cast.inspector,
        round=upcoming,
        unit=org.tai_chinh,
    )
    assert not Inspection.objects.exists()


def test_creating_records_who_created_which_inspection(draft, cast):
    event = Event.objects.get(action="inspection_created")
    assert event.actor == cast.inspector
    assert event.actor_name == cast.inspector.profile.full_name
    assert (event.object_type, event.object_id) == ("inspection", str(draft.pk))


# Answering


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("A5", 1),  # yes/no wants true or false
        ("A5", "true"),
        ("A1", True),  # a level is a whole number, and True is not level 1
        ("A1", "²"),  # text is read as the form sends it ("3" is level 3): ASCII digits only
        ("A1", 5),
        ("A1", 2.5),
        ("D1", "nhiều"),  # a percentage is a number from 0 to 100 with one decimal at most
        ("D1", 100.5),
        ("D1", 98.25),
        ("D1", False),
    ],
)
def test_a_value_of_the_wrong_type_for_the_criterion_is_refused(draft, cast, code, value):
    error = refusal(
        Problem.INVALID,
        answer_set,
        by=cast.inspector,
        inspection=draft,
        criterion_code=code,
        value=value,
    )
    assert error.fields["value"]
    assert not Answer.objects.exists()


def test_na_is_refused_where_the_criterion_does_not_allow_it(draft, cast):
    error = refusal(
        Problem.INVALID,
        answer_set,
        by=cast.inspector,
        inspection=draft,
        criterion_code="A1",
        value="na",
    )
    assert "không áp dụng" in error.fields["value"][0]
    assert not Answer.objects.exists()


def test_answers_are_stored_with_their_points_and_the_running_score(draft, cast):
    answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=2)  # 3 × 2/4
    answer_set(by=cast.inspector, inspection=draft, criterion_code="D1", value=98.5)  # band 98
    answer_set(
        by=cast.inspector, inspection=draft, criterion_code="A7", value="na", note="Không có kho"
    )
    a1, d1, a7 = (Answer.objects.get(criterion__code=c) for c in ("A1", "D1", "A7"))
    assert (a1.level, a1.points) == (2, Decimal("1.5"))
    assert (d1.number, d1.points) == (Decimal("98.5"), Decimal("4.5"))
    assert a7.not_applicable and a7.points is None and a7.note == "Không có kho"
    draft.refresh_from_db()
    # 100 × (1.5 + 4.5) / (3 + 6) = 66.666… → 66.67; N/A leaves earned and possible alike.
    assert (draft.earned_points, draft.possible_points) == (Decimal("6"), Decimal("9"))
    assert draft.score == Decimal("66.67")


def test_none_clears_an_answer(draft, cast):
    answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=4, note="Gọn")
    answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=None)
    answer = Answer.objects.get(criterion__code="A1")
    assert not answer.is_answered and answer.points is None
    draft.refresh_from_db()
    assert draft.possible_points == 0 and draft.score is None
    assert "A1" in submit_problems(draft)


def test_only_its_inspector_may_edit_an_inspection(draft, cast):
    for someone in (cast.other_inspector, cast.internal_affairs, cast.department_office):
        refusal(
            Problem.FORBIDDEN,
            answer_set,
            by=someone,
            inspection=draft,
            criterion_code="A1",
            value=4,
        )
    assert not Answer.objects.exists()


def test_a_submitted_inspection_cannot_be_edited(open_round, org, cast):
    inspection = submitted_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    refusal(
        Problem.WRONG_STATE,
        answer_set,
        by=cast.inspector,
        inspection=inspection,
        criterion_code="A1",
        value=0,
    )
    assert Answer.objects.get(inspection=inspection, criterion__code="A1").level == 4


def test_a_draft_cannot_be_edited_once_its_round_is_closed(draft, cast):
    round_close(round=draft.round, by=cast.internal_affairs, confirmed=True)
    refusal(
        Problem.WRONG_STATE,
        answer_set,
        by=cast.inspector,
        inspection=draft,
        criterion_code="A1",
        value=4,
    )


# Submitting (rule 5)


def test_submit_is_refused_with_every_problem_listed_per_criterion(draft, cast):
    answer_everything(
        draft,
        cast.inspector,
        skip={"A1"},  # unanswered
        value_for={"A7": "na", "B3": ("na", "Đơn vị không có khuôn viên.")},  # A7: no note
    )
    # A2 (Photo) and A8 (Doc) answered without evidence; N/A items need none.
    attach_evidence(draft, cast.inspector, skip={"A2", "A8", "A7", "B3"})
    error = refusal(Problem.INVALID, inspection_submit, by=cast.inspector, inspection=draft)
    assert error.code == "incomplete"
    assert set(error.fields) == {"A1", "A2", "A7", "A8"}  # C6 and C8 ask for no evidence
    assert error.fields["A1"] == ["Chưa chấm."]
    assert "ghi chú" in error.fields["A7"][0]
    assert "ảnh" in error.fields["A2"][0]
    assert "tài liệu" in error.fields["A8"][0]
    draft.refresh_from_db()
    assert draft.state == Inspection.State.DRAFT and draft.submitted_at is None


def test_submit_succeeds_once_every_criterion_is_complete(draft, cast):
    answer_everything(draft, cast.inspector)
    attach_evidence(draft, cast.inspector)
    inspection_submit(by=cast.inspector, inspection=draft)
    draft.refresh_from_db()
    assert draft.state == Inspection.State.SUBMITTED and draft.submitted_at is not None
    assert (draft.score, draft.classification) == (Decimal("100.00"), "xuat_sac")
    assert draft.photos.count() == 30  # every criterion but C6 and C8
    event = Event.objects.get(action="inspection_submitted")
    assert (event.actor, event.object_id) == (cast.inspector, str(draft.pk))
