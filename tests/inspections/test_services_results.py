"""A unit's result in a round (rule 6), stored and recomputed on every approval and revision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inspections.models import Inspection, UnitResult
from inspections.services import (
    inspection_approve,
    inspection_create,
    inspection_revise,
    inspection_submit,
)
from tests.inspections.builders import (
    answer_everything,
    approved_inspection,
    assign,
    attach_evidence,
    submitted_inspection,
)

pytestmark = pytest.mark.django_db

# kiemtra1: A7 N/A (3 points out), A1 at level 0 → 100 × 94 / 97 = 96.907216494845… → 96.91
FIRST = {"A7": ("na", "Không có kho lưu trữ riêng."), "A1": 0}
# kiemtra2: A7 and B3 N/A (5 points out), A2 at level 0 → 100 × 92 / 95 = 96.842105263157… → 96.84
SECOND = {"A7": ("na", "Không có kho."), "B3": ("na", "Không có khuôn viên."), "A2": 0}


def test_the_unit_result_is_the_mean_of_the_exact_scores_rounded_once(open_round, org, cast):
    for inspector, answers in ((cast.inspector, FIRST), (cast.other_inspector, SECOND)):
        approved_inspection(
            open_round,
            org.ward,
            inspector,
            internal_affairs=cast.internal_affairs,
            value_for=answers,
        )
    scores = sorted(Inspection.objects.values_list("score", flat=True))
    assert scores == [Decimal("96.84"), Decimal("96.91")]

    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    # Exact mean: (9400/97 + 9200/95) / 2 = 96.874660879… → 96.87.
    # The mean of the rounded scores would be (96.91 + 96.84) / 2 = 96.875 → 96.88: not that.
    assert result.score == Decimal("96.87")
    assert result.score_exact.quantize(Decimal("1e-9")) == Decimal("96.874660879")
    assert result.classification == "xuat_sac" and result.class_order == 1
    assert result.inspection_count == 2 and not result.provisional
    assert result.group == org.wards
    # Section A: 24/27 in both (A7 out, a 3-point item at 0) = 88.888…% → 88.89.
    assert Decimal(result.sections["A"]) == Decimal("88.89")
    # Section B: 30/30 and 28/28 → 100.
    assert Decimal(result.sections["B"]) == Decimal("100.00")


def test_the_result_is_provisional_while_another_official_inspection_is_not_approved(
    open_round, org, cast
):
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assign(open_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    second, _created = inspection_create(by=cast.other_inspector, round=open_round, unit=org.ward)

    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    assert result.provisional and result.inspection_count == 1
    assert result.score == Decimal("100.00")  # the draft does not count, it only waits

    answer_everything(second, cast.other_inspector, value_for={"A1": 0})
    attach_evidence(second, cast.other_inspector)
    submitted = inspection_submit(by=cast.other_inspector, inspection=second)
    result.refresh_from_db()
    assert result.provisional  # submitted is not approved yet

    inspection_approve(by=cast.internal_affairs, inspection=submitted)
    result.refresh_from_db()
    assert not result.provisional and result.inspection_count == 2
    assert result.score == Decimal("98.50")  # (100 + 97) / 2


def test_the_result_waits_for_approval(open_round, org, cast):
    submitted = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    assert result.score is None and result.classification == "" and result.provisional

    inspection_approve(by=cast.internal_affairs, inspection=submitted)
    result.refresh_from_db()
    assert (result.score, result.classification) == (Decimal("100.00"), "xuat_sac")
    assert not result.provisional


def test_a_failed_star_item_in_any_inspection_caps_the_units_class(open_round, org, cast):
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    approved_inspection(
        open_round,
        org.ward,
        cast.other_inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"C6": False},  # ★, 3 points
    )
    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    assert result.score == Decimal("98.50")  # (100 + 97) / 2: Xuất sắc by its score…
    assert result.critical_failed
    assert result.classification == "dat"  # …capped at Đạt by the failed ★ item
    assert result.class_order == 4


def test_a_revision_recomputes_the_unit_result(open_round, org, cast):
    inspection = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": False},
    )
    result = UnitResult.objects.get(unit=org.ward, round=open_round)
    assert (result.score, result.classification) == (Decimal("97.00"), "dat")

    inspection_revise(
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Phúc tra: lối thoát hiểm thông thoáng.",
        answers={"A5": {"value": True}},
    )
    result.refresh_from_db()
    assert (result.score, result.classification) == (Decimal("100.00"), "xuat_sac")
    assert not result.critical_failed
