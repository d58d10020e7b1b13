"""The year's result: the policy, the ranking live and published, and the proposals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inspections.errors import Problem
from inspections.models import (
    Commitment,
    Event,
    PublishedYearFrozen,
    UnitResult,
    YearPolicy,
    YearResult,
)
from inspections.selectors import year_policy, year_proposals, year_ranking
from inspections.services import proposal_decide, proposal_reset, year_policy_save, year_publish
from tests.inspections.builders import refusal
from tests.inspections.year_builders import published_round, result, year_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(version, org):
    return year_2026(version, org)


def rows_by_code(ranking):
    return {row.unit_code: (group.group_code, row) for group, row in ranking.rows}


def policy_values(policy, **changes):
    values = {
        "minimum_rounds": policy.minimum_rounds,
        "classes": policy.classes,
        "critical_cap": policy.critical_cap,
        "propose_classes": policy.propose_classes,
        "require_no_critical": policy.require_no_critical,
        "require_actions_verified": policy.require_actions_verified,
        "require_commitment": policy.require_commitment,
    }
    return {**values, **changes}


def test_the_reference_policy_comes_from_the_edition_the_rounds_use(rounds):
    policy = year_policy(2026)
    assert policy.pk is None  # read, never written, until someone saves or publishes
    assert [c["code"] for c in policy.classes] == ["xuat_sac", "tot", "kha", "dat", "khong_dat"]
    assert policy.classes[0]["minimum_score"] == "90.00"
    assert (policy.critical_cap, policy.propose_classes, policy.minimum_rounds) == (
        "dat",
        ["xuat_sac"],
        2,
    )


def test_the_live_ranking_follows_the_policy(rounds, cast):
    year_policy_save(
        by=cast.internal_affairs, year=2026, **policy_values(year_policy(2026), minimum_rounds=3)
    )
    rows = rows_by_code(year_ranking(year=2026))
    group, noi_vu = rows["SNV"]
    assert (group, noi_vu.score, noi_vu.classification, noi_vu.rank) == (
        "so-nganh",
        Decimal("93.67"),
        "xuat_sac",
        1,
    )
    assert noi_vu.round_scores == [Decimal("95.00"), Decimal("92.00"), Decimal("94.00")]
    _group, thi_dua = rows["BTDKT"]  # one round too few
    assert (thi_dua.score, thi_dua.classification, thi_dua.rank) == (Decimal("96.50"), "", None)
    assert thi_dua.unranked_reason == "too_few_rounds"
    assert "1/3" in thi_dua.unranked_note
    _group, school = rows["THANLAC"]  # a ★ failure in the third quarter
    assert (school.score, school.classification, school.capped) == (Decimal("95.00"), "dat", True)
    assert "★" in school.cap_note


def test_a_tie_across_groups_ranks_first_in_each(rounds):
    rows = rows_by_code(year_ranking(year=2026))
    stc, ward = rows["STC"], rows["PANLAC"]
    assert (stc[0], ward[0]) == ("so-nganh", "phuong-xa")
    assert stc[1].score == ward[1].score == Decimal("92.00")
    assert stc[1].rank == 2  # behind Sở Nội vụ in its group
    assert ward[1].rank == 1  # and first among the wards, ahead of the capped school
    assert rows["THANLAC"][1].rank == 2


def test_a_group_filter_keeps_one_group(rounds, org):
    ranking = year_ranking(year=2026, group=org.wards)
    assert [g.group_code for g in ranking.groups] == ["phuong-xa"]
    assert [row.unit_code for row in ranking.groups[0].rows] == ["PANLAC", "THANLAC"]


def test_unpublished_rounds_do_not_count(rounds, org):
    rows = rows_by_code(year_ranking(year=2026))
    assert rows["SNV"][1].round_count == 3
    assert len(year_ranking(year=2026).rounds) == 3


def test_the_ranking_reads_a_fixed_number_of_queries(rounds, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        year_ranking(year=2026)
    for code in ("X1", "X2", "X3"):
        from tests.factories import OrgUnitFactory

        unit = OrgUnitFactory(code=code, name=f"Phường {code}", parent=org.city, group=org.wards)
        result(rounds[0], unit, "70")
    with django_assert_max_num_queries(8):
        year_ranking(year=2026)


def test_internal_affairs_edits_the_policy_and_leaders_may_not(rounds, cast):
    values = policy_values(year_policy(2026), minimum_rounds=3)
    refusal(Problem.FORBIDDEN, year_policy_save, by=cast.leader, year=2026, **values)
    policy, changed = year_policy_save(by=cast.internal_affairs, year=2026, **values)
    assert changed and policy.minimum_rounds == 3
    _again, changed = year_policy_save(by=cast.internal_affairs, year=2026, **values)
    assert not changed
    event = Event.objects.get(action="year_policy_saved")
    assert event.data["changes"]["minimum_rounds"] == {"from": 2, "to": 3}


def test_a_bad_policy_is_refused_field_by_field(rounds, cast):
    policy = year_policy(2026)
    classes = [dict(c) for c in policy.classes]
    classes[1]["minimum_score"] = "95"  # above Xuất sắc's 90
    error = refusal(
        Problem.INVALID,
        year_policy_save,
        by=cast.internal_affairs,
        year=2026,
        **policy_values(
            policy, minimum_rounds=0, classes=classes, critical_cap="zz", propose_classes=[]
        ),
    )
    assert set(error.fields) == {"minimum_rounds", "classes.tot", "critical_cap", "propose_classes"}
    assert not YearPolicy.objects.filter(year=2026, minimum_rounds=0).exists()


def test_a_year_out_of_range_is_not_found(cast):
    refusal(Problem.NOT_FOUND, year_publish, by=cast.internal_affairs, year=1999, confirmed=True)


def test_publishing_needs_a_confirmation_and_a_published_round(rounds, cast):
    refusal(Problem.FORBIDDEN, year_publish, by=cast.leader, year=2026, confirmed=True)
    error = refusal(Problem.INVALID, year_publish, by=cast.internal_affairs, year=2026)
    assert "1 đợt" in error.fields["confirm"][0]  # the fourth quarter is still open
    refusal(Problem.WRONG_STATE, year_publish, by=cast.internal_affairs, year=2027, confirmed=True)


def test_publishing_freezes_the_ranking_and_the_policy(rounds, cast, org):
    live = rows_by_code(year_ranking(year=2026))
    policy = year_publish(by=cast.internal_affairs, year=2026, confirmed=True)
    assert policy.is_published and policy.published_by == cast.internal_affairs
    UnitResult.objects.filter(unit=org.noi_vu).update(score=Decimal("10"), score_exact=Decimal(10))
    stored = rows_by_code(year_ranking(year=2026))
    assert {
        code: (row.rank, row.score, row.round_scores) for code, (_g, row) in stored.items()
    } == {code: (row.rank, row.score, row.round_scores) for code, (_g, row) in live.items()}
    assert stored["BTDKT"][1].unranked_note == live["BTDKT"][1].unranked_note
    refusal(
        Problem.WRONG_STATE,
        year_policy_save,
        by=cast.internal_affairs,
        year=2026,
        **policy_values(policy, minimum_rounds=1),
    )
    refusal(Problem.WRONG_STATE, year_publish, by=cast.internal_affairs, year=2026, confirmed=True)
    with pytest.raises(PublishedYearFrozen):
        YearPolicy.objects.filter(year=2026).update(minimum_rounds=1)
    with pytest.raises(PublishedYearFrozen):
        YearResult.objects.filter(policy=policy).update(rank=1)
    assert Event.objects.filter(action="year_published").count() == 1


def test_movement_is_against_last_years_published_rank(rounds, cast, org, version):
    earlier = [published_round(version, 2025, q) for q in (1, 2)]
    for round_ in earlier:
        result(round_, org.tai_chinh, "99")
        result(round_, org.noi_vu, "80")
    year_publish(by=cast.internal_affairs, year=2025, confirmed=True)
    rows = rows_by_code(year_ranking(year=2026))
    assert (rows["SNV"][1].previous_rank, rows["SNV"][1].movement) == (2, 1)
    assert (rows["STC"][1].previous_rank, rows["STC"][1].movement) == (1, -1)
    assert rows["PANLAC"][1].movement is None  # "mới"


def test_proposals_give_a_reason_for_every_unit(rounds, cast, org):
    Commitment.objects.create(
        unit=org.noi_vu, year=2026, signed_on=datetime.date(2026, 1, 5), created_by=cast.leader
    )
    proposals = {row.unit_code: row for row in year_proposals(year=2026).rows}
    assert proposals["SNV"].proposed and proposals["SNV"].reasons == [
        "Đạt mọi tiêu chí đề nghị khen thưởng"
    ]
    stc = proposals["STC"]
    assert not stc.proposed
    assert stc.shortfalls == ("commitment",)  # 92,00 is Xuất sắc; no commitment filed
    assert proposals["THANLAC"].shortfalls == ("class", "critical", "commitment")
    assert proposals["BTDKT"].reasons[0].startswith("Chưa có xếp loại năm")


def test_internal_affairs_adds_and_removes_with_a_reason(rounds, cast, org):
    refusal(
        Problem.FORBIDDEN,
        proposal_decide,
        by=cast.leader,
        year=2026,
        unit=org.tai_chinh,
        proposed=True,
        reason="Thành tích đột xuất",
    )
    refusal(
        Problem.INVALID,
        proposal_decide,
        by=cast.internal_affairs,
        year=2026,
        unit=org.tai_chinh,
        proposed=True,
        reason="  ",
    )
    proposal_decide(
        by=cast.internal_affairs,
        year=2026,
        unit=org.tai_chinh,
        proposed=True,
        reason="Bản cam kết nộp bản giấy",
    )
    row = {r.unit_code: r for r in year_proposals(year=2026).rows}["STC"]
    assert row.proposed and not row.by_criteria
    assert row.reasons[0] == "Phòng Nội vụ bổ sung vào danh sách: Bản cam kết nộp bản giấy"
    event = Event.objects.get(action="proposal_added")
    assert (event.object_id, event.data) == (
        str(org.tai_chinh.pk),
        {"year": 2026, "reason": "Bản cam kết nộp bản giấy"},
    )
    proposal_reset(by=cast.internal_affairs, year=2026, unit=org.tai_chinh, reason="Nhầm")
    row = {r.unit_code: r for r in year_proposals(year=2026).rows}["STC"]
    assert not row.proposed and row.decision is None
    refusal(
        Problem.WRONG_STATE,
        proposal_reset,
        by=cast.internal_affairs,
        year=2026,
        unit=org.tai_chinh,
        reason="Nhầm",
    )


def test_a_unit_outside_the_year_cannot_be_proposed(rounds, cast, org):
    from tests.factories import OrgUnitFactory

    later = OrgUnitFactory(
        code="MOI", name="Đơn vị mới", parent=org.city, group=org.wards,
        valid_from=datetime.date(2027, 1, 1),
    )  # fmt: skip
    refusal(
        Problem.INVALID,
        proposal_decide,
        by=cast.internal_affairs,
        year=2026,
        unit=later,
        proposed=True,
        reason="Thử",
    )
    assert timezone.now()


def test_the_database_keeps_a_published_year_too(rounds, cast):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's (SQLite relies on the models)")
    policy = year_publish(by=cast.internal_affairs, year=2026, confirmed=True)
    for sql in (
        "UPDATE inspections_yearpolicy SET minimum_rounds = 1 WHERE id = %s",
        "UPDATE inspections_yearresult SET rank = 1 WHERE policy_id = %s",
        "DELETE FROM inspections_yearresult WHERE policy_id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [policy.pk])
    with connection.cursor() as cursor:  # who published may still be forgotten
        cursor.execute(
            "UPDATE inspections_yearpolicy SET published_by_id = NULL WHERE id = %s", [policy.pk]
        )


def test_an_unverified_action_of_the_year_holds_a_proposal_back(rounds, cast, org, version):
    from inspections.models import CorrectiveAction, Criterion, Inspection

    Commitment.objects.create(unit=org.noi_vu, year=2026, created_by=cast.leader)
    inspection = Inspection.objects.create(
        round=rounds[0], unit=org.noi_vu, inspector=cast.inspector, unit_name_snapshot="Sở Nội vụ"
    )
    action = CorrectiveAction.objects.create(
        inspection=inspection,
        criterion=Criterion.objects.filter(version=version).first(),
        unit=org.noi_vu,
        reason=CorrectiveAction.Reason.FLAGGED,
        due_on=datetime.date(2026, 4, 15),
        status=CorrectiveAction.Status.RESPONDED,
    )
    row = {r.unit_code: r for r in year_proposals(year=2026).rows}["SNV"]
    assert row.shortfalls == ("actions",)
    assert row.reasons == ["Còn 1 yêu cầu khắc phục chưa được xác nhận"]
    CorrectiveAction.objects.filter(pk=action.pk).update(status=CorrectiveAction.Status.VERIFIED)
    assert {r.unit_code: r for r in year_proposals(year=2026).rows}["SNV"].proposed
