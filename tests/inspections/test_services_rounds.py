"""Rounds: open, close, publish (a stored ranking snapshot), assignments; rule 7 as published."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from inspections.errors import Problem
from inspections.models import (
    Assignment,
    Event,
    Inspection,
    OrgUnit,
    RankingSnapshot,
    Round,
    UnitResult,
)
from inspections.selectors import ranking_compute, ranking_for_round, unit_history
from inspections.services import (
    assignment_remove,
    assignment_update,
    assignments_create,
    inspection_create,
    inspection_revise,
    round_close,
    round_create,
    round_open,
    round_publish,
    round_update,
    version_new_draft,
    version_publish,
)
from tests.factories import OrgUnitFactory
from tests.inspections.builders import approved_inspection, assign, refusal

pytestmark = pytest.mark.django_db

Q1_2027 = {"starts_on": datetime.date(2027, 1, 1), "ends_on": datetime.date(2027, 3, 31)}


@pytest.fixture
def draft_round(version, cast):
    return round_create(by=cast.internal_affairs, name=" Quý I/2027 ", version=version, **Q1_2027)


def test_a_round_goes_from_draft_to_open_to_closed(draft_round, cast):
    assert (draft_round.status, draft_round.name) == (Round.Status.DRAFT, "Quý I/2027")
    round_open(round=draft_round, by=cast.internal_affairs)
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.OPEN
    round_close(round=draft_round, by=cast.internal_affairs, confirmed=True)
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.CLOSED
    events = Event.objects.filter(object_type="round", object_id=str(draft_round.pk))
    assert sorted(events.values_list("action", flat=True)) == [
        "round_closed",
        "round_created",
        "round_opened",
    ]
    opened = events.get(action="round_opened")
    assert opened.actor == cast.internal_affairs
    assert opened.data == {"from": "draft", "to": "open"}


def test_a_round_moves_only_forward(draft_round, open_round, cast):
    ia = cast.internal_affairs
    refusal(
        Problem.WRONG_STATE, round_close, round=draft_round, by=ia, confirmed=True
    )  # not open yet
    refusal(Problem.WRONG_STATE, round_open, round=open_round, by=ia)  # open already
    round_close(round=open_round, by=ia, confirmed=True)
    refusal(Problem.WRONG_STATE, round_close, round=open_round, by=ia, confirmed=True)
    refusal(Problem.WRONG_STATE, round_open, round=open_round, by=ia)
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.CLOSED


def test_an_open_round_cannot_be_published(open_round, cast):
    error = refusal(Problem.WRONG_STATE, round_publish, round=open_round, by=cast.internal_affairs)
    assert error.code == "round_not_closed"
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN and open_round.published_at is None
    assert not RankingSnapshot.objects.exists()


def test_republishing_needs_a_reason_and_keeps_the_first_snapshot(open_round, org, cast):
    ia = cast.internal_affairs
    round_close(round=open_round, by=ia, confirmed=True)
    first = round_publish(round=open_round, by=ia)
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.PUBLISHED and open_round.published_at is not None
    assert (first.number, first.reason, first.published_by) == (1, "", ia)

    error = refusal(Problem.INVALID, round_publish, round=open_round, by=ia, reason=" ")
    assert "reason" in error.fields
    assert RankingSnapshot.objects.count() == 1

    second = round_publish(round=open_round, by=ia, reason="Sửa kết quả Phường An Lạc.")
    assert (second.number, second.reason) == (2, "Sửa kết quả Phường An Lạc.")
    kept = RankingSnapshot.objects.get(round=open_round, number=1)
    fields = ("unit_id", "rank", "score", "classification", "movement")
    assert kept == first and kept.reason == ""
    assert list(kept.rows.values_list(*fields)) == list(first.rows.values_list(*fields))
    listed = OrgUnit.objects.filter(group__isnull=False).count()  # every unit of a group
    assert kept.rows.count() == second.rows.count() == listed
    assert list(
        Event.objects.filter(action="round_published").values_list("data__snapshot", flat=True)
    ) == [2, 1]


def test_only_internal_affairs_creates_opens_closes_publishes_and_assigns(
    version, draft_round, open_round, org, cast
):
    closed = round_create(
        by=cast.internal_affairs,
        name="Quý III/2026",
        version=version,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
        open_now=True,
    )
    round_close(round=closed, by=cast.internal_affairs, confirmed=True)
    for someone in (cast.leader, cast.inspector, cast.ward_office, cast.outsider):
        refusal(
            Problem.FORBIDDEN,
            round_create,
            by=someone,
            name="Quý II/2027",
            version=version,
            starts_on=datetime.date(2027, 4, 1),
            ends_on=datetime.date(2027, 6, 30),
        )
        refusal(Problem.FORBIDDEN, round_open, round=draft_round, by=someone)
        refusal(Problem.FORBIDDEN, round_close, round=open_round, by=someone, confirmed=True)
        refusal(Problem.FORBIDDEN, round_publish, round=closed, by=someone)
        refusal(
            Problem.FORBIDDEN,
            assignments_create,
            by=someone,
            round=open_round,
            inspector=cast.inspector,
            units=[org.ward],
        )
    statuses = dict(Round.objects.values_list("name", "status"))
    assert statuses == {"Quý I/2027": "draft", "Quý IV/2026": "open", "Quý III/2026": "closed"}
    assert not RankingSnapshot.objects.exists() and not Assignment.objects.exists()


def test_a_round_needs_a_published_version_a_name_and_an_end_after_its_start(version, cast):
    draft_version = version_new_draft(source=version, by=cast.internal_affairs)
    error = refusal(
        Problem.INVALID,
        round_create,
        by=cast.internal_affairs,
        name=" ",
        version=draft_version,
        starts_on=datetime.date(2027, 3, 31),
        ends_on=datetime.date(2027, 1, 1),
    )
    assert set(error.fields) == {"name", "version", "ends_on"}
    assert not Round.objects.exists()


def test_an_assignment_is_due_at_the_rounds_end_unless_it_has_its_own_date(open_round, org, cast):
    ia = cast.internal_affairs
    (plain,) = assignments_create(
        by=ia, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    (dated,) = assignments_create(
        by=ia,
        round=open_round,
        inspector=cast.inspector,
        units=[org.school],
        due_on=datetime.date(2026, 11, 15),
    )
    assert plain.effective_due_on == datetime.date(2026, 12, 31)
    assert dated.effective_due_on == datetime.date(2026, 11, 15)
    again = assignments_create(by=ia, round=open_round, inspector=cast.inspector, units=[org.ward])
    assert again == [plain] and Assignment.objects.count() == 2
    error = refusal(
        Problem.INVALID,
        assignments_create,
        by=ia,
        round=open_round,
        inspector=cast.inspector,
        units=[org.tai_chinh],
        due_on=datetime.date(2026, 9, 1),
    )
    assert "due_on" in error.fields
    # Only an inspector can be assigned.
    error = refusal(
        Problem.INVALID,
        assignments_create,
        by=ia,
        round=open_round,
        inspector=cast.ward_office,
        units=[org.tai_chinh],
    )
    assert "inspector" in error.fields
    assert Event.objects.filter(action="assignment_created").count() == 2


# The published ranking (rule 7)


def _approve(round_, unit, cast, **answers):
    return approved_inspection(
        round_, unit, cast.inspector, internal_affairs=cast.internal_affairs, value_for=answers
    )


def _rows(round_, group, ranking=ranking_for_round):
    (only,) = ranking(round=round_, group=group)
    return {row.unit_id: row for row in only.rows}


def test_the_published_ranking_shares_ranks_shows_movement_and_stays_frozen(
    version, open_round, org, cast
):
    ia = cast.internal_affairs
    binh_minh = OrgUnitFactory(
        code="PBINHMINH", name="Phường Bình Minh", parent=org.city, group=org.wards
    )
    q3 = round_create(
        by=ia,
        name="Quý III/2026",
        version=version,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
        open_now=True,
    )
    _approve(q3, org.ward, cast)  # 100
    _approve(q3, org.school, cast, A1=0)  # 97
    round_close(round=q3, by=ia, confirmed=True)
    round_publish(round=q3, by=ia)

    _approve(open_round, org.school, cast)  # 100
    _approve(open_round, binh_minh, cast)  # 100: a tie, and not ranked in Q3
    ward_q4 = _approve(open_round, org.ward, cast, A1=0)  # 97
    round_close(round=open_round, by=ia, confirmed=True)
    round_publish(round=open_round, by=ia)
    open_round.refresh_from_db()  # published now: the selector reads the snapshot

    rows = _rows(open_round, org.wards)
    summary = {
        unit: (row.rank, row.score, row.previous_rank, row.movement) for unit, row in rows.items()
    }
    assert summary == {
        org.school.pk: (1, Decimal("100.00"), 2, 1),  # 2nd in Q3, up one
        binh_minh.pk: (1, Decimal("100.00"), None, None),  # "mới": never ranked before
        org.ward.pk: (3, Decimal("97.00"), 1, -2),  # 1, 1, then 3: the tie skips rank 2
    }
    # The unit page's history reads the rank from the snapshot, the one record of it.
    assert [r.rank for r in unit_history(org.ward) if r.round_id == open_round.pk] == [3]
    # A group with no approved inspection lists its units unranked.
    departments = _rows(open_round, org.departments)
    assert set(departments) == {org.noi_vu.pk, org.thi_dua.pk, org.tai_chinh.pk}
    assert {row.rank for row in departments.values()} == {None}

    # A later revision changes the unit's stored result, not the published ranking.
    inspection_revise(
        by=ia,
        inspection=ward_q4,
        reason="Phúc tra: hồ sơ đã sắp xếp.",
        answers={"A1": {"value": 4}},
    )
    assert UnitResult.objects.get(unit=org.ward, round=open_round).score == Decimal("100.00")
    published = _rows(open_round, org.wards)[org.ward.pk]
    assert (published.rank, published.score) == (3, Decimal("97.00"))
    live = _rows(open_round, org.wards, ranking=ranking_compute)[org.ward.pk]
    assert (live.rank, live.score) == (1, Decimal("100.00"))


def test_a_round_not_yet_published_shows_the_live_ranking(open_round, org, cast):
    _approve(open_round, org.ward, cast, A1=0)
    rows = _rows(open_round, org.wards)
    assert (rows[org.ward.pk].rank, rows[org.ward.pk].score) == (1, Decimal("97.00"))
    assert rows[org.school.pk].rank is None
    assert not Inspection.objects.exclude(state=Inspection.State.APPROVED).exists()


# Editing a round and its assignments


def test_a_round_is_renamed_and_redated_with_an_event(draft_round, cast):
    ia = cast.internal_affairs
    changed = round_update(
        by=ia,
        round=draft_round,
        name="Quý I/2027 (bổ sung)",
        version=draft_round.version,
        starts_on=Q1_2027["starts_on"],
        ends_on=datetime.date(2027, 4, 15),
    )
    assert changed.name == "Quý I/2027 (bổ sung)"
    event = Event.objects.get(action="round_updated")
    assert event.data["changes"] == {
        "name": ["Quý I/2027", "Quý I/2027 (bổ sung)"],
        "ends_on": ["2027-03-31", "2027-04-15"],
    }


def test_a_rounds_version_changes_until_its_first_inspection_and_never_after(
    open_round, org, cast, version
):
    ia = cast.internal_affairs
    other = version_publish(version=version_new_draft(source=version, by=None), by=None)
    dates = {"starts_on": open_round.starts_on, "ends_on": open_round.ends_on}
    round_update(by=ia, round=open_round, name=open_round.name, version=other, **dates)
    round_update(by=ia, round=open_round, name=open_round.name, version=version, **dates)
    assign(open_round, org.ward, cast.inspector, by=ia)
    inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    before = Event.objects.count()
    refused = refusal(
        Problem.WRONG_STATE,
        round_update,
        by=ia,
        round=open_round,
        name="Đổi cả tên",
        version=other,
        **dates,
    )
    assert refused.code == "round_has_inspections" and "version" in refused.fields
    open_round.refresh_from_db()
    assert (open_round.version, open_round.name) == (version, "Quý IV/2026")
    assert Event.objects.count() == before


def test_a_round_uses_only_a_published_version(draft_round, cast, version):
    draft = version_new_draft(source=version, by=None)
    refused = refusal(
        Problem.INVALID,
        round_update,
        by=cast.internal_affairs,
        round=draft_round,
        name=draft_round.name,
        version=draft,
        **Q1_2027,
    )
    assert "version" in refused.fields


def test_only_internal_affairs_edits_a_round(draft_round, cast):
    refusal(
        Problem.FORBIDDEN,
        round_update,
        by=cast.inspector,
        round=draft_round,
        name="Của tôi",
        version=draft_round.version,
        **Q1_2027,
    )


def test_an_assignment_moves_to_another_inspector_under_the_same_rules(open_round, org, cast):
    ia = cast.internal_affairs
    (assignment,) = assignments_create(
        by=ia, round=open_round, inspector=cast.inspector, units=[org.tai_chinh]
    )
    refused = refusal(
        Problem.INVALID,
        assignment_update,
        by=ia,
        assignment=assignment,
        unit=org.tai_chinh,
        inspector=cast.other_inspector,  # of Sở Tài chính: their own unit
        due_on=None,
    )
    assert "đơn vị của mình" in refused.fields["units"][0]
    office = refusal(
        Problem.INVALID,
        assignment_update,
        by=ia,
        assignment=assignment,
        unit=org.tai_chinh,
        inspector=cast.ward_office,
        due_on=None,
    )
    assert "inspector" in office.fields
    assignment_update(
        by=ia, assignment=assignment, unit=org.ward, inspector=cast.other_inspector, due_on=None
    )
    assignment.refresh_from_db()
    assert (assignment.unit, assignment.inspector) == (org.ward, cast.other_inspector)
    assert Event.objects.filter(action="assignment_updated").count() == 1


def test_a_started_assignment_keeps_its_unit_and_inspector_and_is_not_withdrawn(
    open_round, org, cast
):
    ia = cast.internal_affairs
    (assignment,) = assignments_create(
        by=ia, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    refusal(
        Problem.INVALID,
        assignment_update,
        by=ia,
        assignment=assignment,
        unit=org.school,
        inspector=cast.inspector,
        due_on=None,
    )
    refusal(Problem.WRONG_STATE, assignment_remove, by=ia, assignment=assignment)
    due = datetime.date(2026, 11, 30)
    assignment_update(
        by=ia, assignment=assignment, unit=org.ward, inspector=cast.inspector, due_on=due
    )
    assignment.refresh_from_db()
    assert (assignment.unit, assignment.due_on) == (org.ward, due)


def test_an_assignment_not_started_is_withdrawn_with_an_event(open_round, org, cast):
    ia = cast.internal_affairs
    (assignment,) = assignments_create(
        by=ia, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    assignment_remove(by=ia, assignment=assignment)
    assert not Assignment.objects.exists()
    event = Event.objects.get(action="assignment_removed")
    assert event.data == {"unit": "PANLAC", "inspector": cast.inspector.pk}
