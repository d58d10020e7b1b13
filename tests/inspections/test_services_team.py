"""The inspection team, the unit's people present, signatures and record numbers."""

from __future__ import annotations

import uuid

import pytest
from django.test import override_settings

from inspections import policies
from inspections.errors import Problem
from inspections.models import RoleKind, Signature, display_name
from inspections.selectors.records import answers_hash, signatures_for, team_candidates
from inspections.services import (
    answer_set,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_revise,
    inspection_submit,
    photo_attach,
    representative_add,
    representative_remove,
    signature_record,
    team_member_add,
    team_member_remove,
    team_note_set,
)
from tests.factories import jpeg_bytes, make_user
from tests.inspections.builders import (
    answer_everything,
    approved_inspection,
    assign,
    attach_evidence,
    refusal,
)

pytestmark = pytest.mark.django_db

STROKES = [[10, 10, 50, 60, 90, 20], [120, 100]]


@pytest.fixture
def draft(open_round, org, cast):
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


@pytest.fixture
def with_member(draft, cast):
    team_member_add(by=cast.inspector, inspection=draft, user_id=cast.other_inspector.pk)
    return draft


# The team


def test_the_inspector_in_charge_adds_an_inspector_of_another_unit(with_member, cast):
    assert list(with_member.members.values_list("user_id", flat=True)) == [cast.other_inspector.pk]
    again = team_member_add(
        by=cast.inspector, inspection=with_member, user_id=cast.other_inspector.pk
    )
    assert with_member.members.count() == 1 and again.user_id == cast.other_inspector.pk


def test_a_member_must_be_an_inspector_and_never_of_the_unit_or_above_it(draft, org, cast):
    of_the_city = make_user("kiemtra-tp", RoleKind.INSPECTOR, org.city)
    of_the_ward = make_user("kiemtra-pl", RoleKind.INSPECTOR, org.ward)
    for user in (cast.ward_office, of_the_city, of_the_ward, cast.inspector):
        error = refusal(
            Problem.INVALID, team_member_add, by=cast.inspector, inspection=draft, user_id=user.pk
        )
        assert "user" in error.fields
    candidates = team_candidates(draft)
    assert cast.other_inspector in candidates
    assert of_the_city not in candidates and of_the_ward not in candidates
    assert cast.inspector not in candidates


def test_only_the_inspector_in_charge_or_internal_affairs_changes_the_team(with_member, cast):
    refusal(
        Problem.FORBIDDEN,
        team_member_add,
        by=cast.other_inspector,
        inspection=with_member,
        user_id=cast.other_inspector.pk,
    )
    team_member_remove(
        by=cast.internal_affairs, inspection=with_member, user_id=cast.other_inspector.pk
    )
    assert with_member.members.count() == 0


def test_the_team_is_frozen_once_submitted(with_member, cast):
    answer_everything(with_member, cast.inspector)
    attach_evidence(with_member, cast.inspector)
    inspection_submit(by=cast.inspector, inspection=with_member)
    refusal(
        Problem.WRONG_STATE,
        team_member_remove,
        by=cast.inspector,
        inspection=with_member,
        user_id=cast.other_inspector.pk,
    )


def test_members_see_the_inspection_add_photos_and_a_note_but_never_answer(with_member, cast):
    member = cast.other_inspector
    assert policies.inspections_for(member).filter(pk=with_member.pk).exists()
    assert not policies.inspections_for(cast.department_office).filter(pk=with_member.pk).exists()
    refusal(
        Problem.FORBIDDEN,
        answer_set,
        by=member,
        inspection=with_member,
        criterion_code="A1",
        value=4,
    )
    photo, created = photo_attach(
        by=member, inspection=with_member, data=jpeg_bytes(), criterion_code="A1"
    )
    assert created and photo.uploaded_by == member
    assert not policies.may_see_original(member, photo)
    assert policies.may_see_original(cast.inspector, photo)
    assert policies.photos_for(member).filter(pk=photo.pk).exists()
    team_note_set(by=member, inspection=with_member, note="  Thiếu thùng rác phân loại ")
    assert with_member.members.get().note == "Thiếu thùng rác phân loại"
    refusal(Problem.FORBIDDEN, team_note_set, by=cast.inspector, inspection=with_member, note="x")


# The people present


def test_representatives_are_recorded_once_per_client_id_and_removed(draft, cast):
    key = uuid.uuid4()
    person, created = representative_add(
        by=cast.inspector,
        inspection=draft,
        name=" Nguyễn  Văn An ",
        position="Chánh Văn phòng",
        id=key,
    )
    again, created_again = representative_add(
        by=cast.inspector, inspection=draft, name="Nguyễn Văn An", id=key
    )
    assert created and not created_again and again.pk == person.pk
    assert person.name == "Nguyễn Văn An"
    error = refusal(
        Problem.INVALID, representative_add, by=cast.inspector, inspection=draft, name=" "
    )
    assert "name" in error.fields
    refusal(
        Problem.NOT_FOUND,
        representative_remove,
        by=cast.inspector,
        inspection=draft,
        representative_id="not-a-uuid",
    )
    representative_remove(by=cast.inspector, inspection=draft, representative_id=str(key))
    assert draft.representatives.count() == 0


def test_only_the_team_manager_records_people_present(draft, cast):
    refusal(
        Problem.FORBIDDEN,
        representative_add,
        by=cast.other_inspector,
        inspection=draft,
        name="Ai đó",
    )


# Signatures


def test_a_drawn_signature_covers_the_answers_as_they_were(draft, cast):
    answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=4)
    signature, created = signature_record(
        by=cast.inspector,
        inspection=draft,
        role="unit",
        name="Nguyễn Văn An",
        position="Chủ tịch",
        strokes=STROKES,
    )
    assert created and signature.answers_hash == answers_hash(draft)
    lead, _created = signature_record(
        by=cast.inspector, inspection=draft, role="lead", on_paper=True
    )
    assert lead.on_paper and lead.name == display_name(cast.inspector)
    states = signatures_for(draft, revision=1, covering=answers_hash(draft))
    assert states["unit"].current and states["lead"].current
    answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=3)
    states = signatures_for(draft, revision=1, covering=answers_hash(draft))
    assert not states["unit"].current  # "chưa ký lại"
    signature_record(
        by=cast.inspector, inspection=draft, role="unit", name="Nguyễn Văn An", strokes=STROKES
    )
    assert signatures_for(draft, revision=1, covering=answers_hash(draft))["unit"].current


def test_a_signature_sent_twice_is_recorded_once(draft, cast):
    key = uuid.uuid4()
    first, created = signature_record(
        by=cast.inspector, inspection=draft, role="lead", strokes=STROKES, id=key
    )
    again, created_again = signature_record(
        by=cast.inspector, inspection=draft, role="lead", strokes=STROKES, id=key
    )
    assert created and not created_again and first.pk == again.pk
    assert Signature.objects.filter(inspection=draft).count() == 1


@pytest.mark.parametrize(
    "strokes",
    [None, [], [[1]], [[10, 10, 700, 10]], [[10, -1]], [["a", 1]], [[True, 1]], [[1, 1]] * 201],
)
def test_a_signature_outside_its_box_or_empty_is_refused(draft, cast, strokes):
    error = refusal(
        Problem.INVALID,
        signature_record,
        by=cast.inspector,
        inspection=draft,
        role="lead",
        strokes=strokes,
    )
    assert "strokes" in error.fields


def test_the_unit_signature_needs_a_name_and_only_the_lead_takes_signatures(with_member, cast):
    error = refusal(
        Problem.INVALID,
        signature_record,
        by=cast.inspector,
        inspection=with_member,
        role="unit",
        strokes=STROKES,
    )
    assert "name" in error.fields
    refusal(
        Problem.FORBIDDEN,
        signature_record,
        by=cast.other_inspector,
        inspection=with_member,
        role="lead",
        strokes=STROKES,
    )
    refusal(
        Problem.INVALID, signature_record, by=cast.inspector, inspection=with_member, role="boss"
    )


# Record numbers


def test_approval_gives_the_next_number_of_the_year_and_a_revision_keeps_it(open_round, org, cast):
    first = approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    second = approved_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assert (first.record_number, second.record_number) == (1, 2)
    assert first.record_year == first.approved_at.year
    revised = inspection_revise(
        by=cast.internal_affairs,
        inspection=first,
        reason="Sửa A1",
        answers={"A1": {"value": 3}},
    )
    assert revised.record_number == 1 and revised.revision == 2
    kept = revised.revisions.get(revision=1).data["record"]
    assert kept["revision"] == 1 and kept["number"] == 1
    a1 = next(c for s in kept["sections"] for c in s["criteria"] if c["code"] == "A1")
    assert a1["answer"] == "Mức 4/4"


def test_numbers_are_counted_per_agency(open_round, org, cast):
    with override_settings(RECORD_AGENCY="phong-noi-vu-khac"):
        other = approved_inspection(
            open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
        )
    first = approved_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assert (other.record_number, first.record_number) == (1, 1)


def test_a_returned_and_resubmitted_inspection_gets_its_number_at_approval(open_round, org, cast):
    from tests.inspections.builders import submitted_inspection

    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    inspection_return(
        by=cast.internal_affairs, inspection=inspection, reason="Xem lại", criteria=[]
    )
    inspection.refresh_from_db()
    assert inspection.record_number is None
    inspection_submit(by=cast.inspector, inspection=inspection)
    approved = inspection_approve(by=cast.internal_affairs, inspection=inspection)
    assert approved.record_number == 1
