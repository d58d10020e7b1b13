"""Desks, answers, the limit per address and desk, comments and the D2 proposal."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from inspections.errors import DomainError
from inspections.models import Answer, EvidencePhoto, SurveyBurst, SurveyResponse
from inspections.selectors.indicators import indicator_proposal
from inspections.selectors.surveys import (
    survey_overview,
    survey_summary,
    unit_satisfaction,
)
from inspections.services import inspection_create
from inspections.services.indicators import indicator_accept, indicator_override
from inspections.services.surveys import (
    address_hash,
    comment_screen,
    survey_comment_hide,
    survey_comment_release,
    survey_point_create,
)
from tests.inspections.builders import assign
from tests.surveys.conftest import IN_ROUND, answer, answers

pytestmark = pytest.mark.django_db


def test_internal_affairs_and_the_units_office_create_desks_others_do_not(
    org: Any, cast: Any
) -> None:
    survey_point_create(by=cast.internal_affairs, unit=org.tai_chinh, desk="Quầy 1")
    survey_point_create(by=cast.ward_office, unit=org.ward, desk="Quầy 1")
    for outsider in (cast.department_office, cast.inspector, cast.leader):
        with pytest.raises(DomainError) as refused:
            survey_point_create(by=outsider, unit=org.ward, desk="Quầy 2")
        assert refused.value.problem == "forbidden"


def test_a_desk_name_is_given_once_per_unit(desk: Any, org: Any, cast: Any) -> None:
    with pytest.raises(DomainError) as refused:
        survey_point_create(by=cast.internal_affairs, unit=org.ward, desk="  bộ phận   MỘT cửa ")
    assert "desk" in refused.value.fields
    with pytest.raises(DomainError):
        survey_point_create(by=cast.internal_affairs, unit=org.ward, desk="   ")


def test_an_answer_keeps_no_address(desk: Any) -> None:
    response = answer(desk, 5, address="203.0.113.7")
    assert response is not None
    assert "203.0.113.7" not in response.address_hash
    assert response.address_hash == address_hash("203.0.113.7", IN_ROUND.date())
    # The salt changes every day: the same phone cannot be followed from day to day.
    assert address_hash("203.0.113.7", IN_ROUND.date() + datetime.timedelta(days=1)) != (
        response.address_hash
    )


def test_a_burst_from_one_address_is_refused_flagged_and_not_stored(
    desk: Any, settings: Any
) -> None:
    settings.SURVEY_RATE_PER_ADDRESS = 4
    stored = [answer(desk, 5) for _ in range(10)]
    assert sum(r is not None for r in stored) == 4
    assert SurveyResponse.objects.filter(point=desk).count() == 4
    burst = SurveyBurst.objects.get(point=desk)
    assert burst.refused == 6 and burst.day == IN_ROUND.date()
    # Another address at the same desk is not held back.
    assert answer(desk, 5, address="198.51.100.9") is not None


def test_a_repeat_from_the_same_browser_is_kept_but_not_counted(desk: Any) -> None:
    answers(desk, [5, 5, 4])
    answer(desk, 1, repeat=True)
    found = unit_satisfaction(desk.unit, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert (found.part, found.whole, found.value) == (3, 3, Decimal("100.0"))


def test_a_closed_desk_takes_no_answer(desk: Any, cast: Any) -> None:
    from inspections.services.surveys import survey_point_set_active

    assert survey_point_set_active(by=cast.ward_office, point=desk, active=False)
    with pytest.raises(DomainError):
        answer(desk, 5)


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Cán bộ hướng dẫn rất tận tình, cảm ơn.", False),
        ("Các bạn làm nhanh, lớn tuổi vẫn được giúp", False),
        ("đm chờ lâu quá", True),
        ("Xem thêm tại https://example.com", True),
        ("Gọi tôi 0912 345 678 nhé", True),
        ("liên hệ a.b@example.vn", True),
        ("aaaaaaaaaaaaaaaaaaaa", True),
    ],
)
def test_the_comment_filter_holds_what_a_person_should_read_first(text: str, held: bool) -> None:
    assert bool(comment_screen(text)) is held


def test_a_held_comment_waits_then_is_released_or_hidden_with_a_reason(
    desk: Any, cast: Any
) -> None:
    rude = answer(desk, 1, comment="Đm làm chậm quá")
    kind = answer(desk, 5, comment="Rất tận tình", address="198.51.100.2")
    assert rude is not None and kind is not None
    assert rude.comment_status == SurveyResponse.Comment.HELD
    assert kind.comment_status == SurveyResponse.Comment.SHOWN
    with pytest.raises(DomainError):
        survey_comment_release(by=cast.department_office, response=rude)
    survey_comment_release(by=cast.internal_affairs, response=rude)
    rude.refresh_from_db()
    assert rude.comment_status == SurveyResponse.Comment.SHOWN
    with pytest.raises(DomainError) as refused:
        survey_comment_hide(by=cast.ward_office, response=kind, reason="  ")
    assert "reason" in refused.value.fields
    survey_comment_hide(by=cast.ward_office, response=kind, reason="Trùng với góp ý trước")
    kind.refresh_from_db()
    assert kind.comment_status == SurveyResponse.Comment.HIDDEN
    assert kind.hidden_reason == "Trùng với góp ý trước" and kind.hidden_by == cast.ward_office


def test_answers_outside_the_rounds_dates_do_not_count(desk: Any) -> None:
    answers(desk, [5, 5, 5])
    answers(desk, [1, 1, 1], at=datetime.datetime(2026, 9, 30, 23, 50, tzinfo=IN_ROUND.tzinfo))
    found = unit_satisfaction(desk.unit, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert (found.part, found.whole) == (3, 3)


@pytest.fixture
def draft(open_round: Any, org: Any, cast: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


def test_no_desk_no_proposal(draft: Any) -> None:
    assert indicator_proposal(draft, "D2") is None
    assert indicator_proposal(draft, "D1") is None


def test_under_the_minimum_the_proposal_says_why(desk: Any, draft: Any) -> None:
    assert "Chưa có ý kiến" in indicator_proposal(draft, "D2").reason  # type: ignore[union-attr]
    answers(desk, [5, 5])
    proposal = indicator_proposal(draft, "D2")
    assert proposal is not None and proposal.value is None
    assert "cần ít nhất 3" in proposal.reason
    with pytest.raises(DomainError) as refused:
        indicator_accept(by=draft.inspector, inspection=draft, code="D2")
    assert refused.value.code == "no_proposal"


def test_accepting_saves_the_value_with_the_summary_as_evidence(desk: Any, draft: Any) -> None:
    answers(desk, [5, 4, 4, 3, 5, 5, 2, 5])  # 6 of 8 satisfied: 75,0
    proposal = indicator_proposal(draft, "D2")
    assert proposal is not None and proposal.value == Decimal("75.0") and not proposal.accepted
    answer_row, photo = indicator_accept(by=draft.inspector, inspection=draft, code="D2")
    assert Answer.objects.get(pk=answer_row.pk).number == Decimal("75.0")
    assert "8 ý kiến" in answer_row.note
    stored = EvidencePhoto.objects.get(pk=photo.pk)
    assert stored.criterion is not None and stored.criterion.code == "D2"
    assert stored.content_type == "application/pdf" and stored.captured_at is None
    assert stored.original.read().startswith(b"%PDF-")
    assert indicator_proposal(draft, "D2").accepted  # type: ignore[union-attr]


def test_only_the_inspector_accepts(desk: Any, draft: Any, cast: Any) -> None:
    answers(desk, [5, 5, 5])
    with pytest.raises(DomainError):
        indicator_accept(by=cast.other_inspector, inspection=draft, code="D2")
    assert not Answer.objects.filter(inspection=draft).exists()


def test_overriding_needs_a_reason_and_saves_the_inspectors_value(desk: Any, draft: Any) -> None:
    answers(desk, [5, 5, 5])
    with pytest.raises(DomainError) as refused:
        indicator_override(by=draft.inspector, inspection=draft, code="D2", value="88", note=" ")
    assert "note" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        indicator_override(
            by=draft.inspector, inspection=draft, code="D2", value="①", note="Phiếu giấy"
        )
    assert "value" in refused.value.fields
    saved = indicator_override(
        by=draft.inspector,
        inspection=draft,
        code="D2",
        value="88,5",
        note="Đơn vị có thêm phiếu khảo sát giấy",
    )
    assert saved.number == Decimal("88.5") and saved.note == "Đơn vị có thêm phiếu khảo sát giấy"
    assert not indicator_proposal(draft, "D2").accepted  # type: ignore[union-attr]


def test_the_summary_counts_desks_levels_repeats_and_bursts(
    desk: Any, org: Any, cast: Any, settings: Any
) -> None:
    second = survey_point_create(by=cast.ward_office, unit=org.ward, desk="Quầy 2")
    answers(desk, [5, 4, 1])
    answer(second, 3, address="192.0.2.1")
    answer(second, 5, address="192.0.2.1", repeat=True)
    settings.SURVEY_RATE_PER_ADDRESS = 1
    answer(second, 5, address="192.0.2.1")  # refused
    summary = survey_summary(org.ward, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert [(d.desk, d.total, d.satisfied) for d in summary.desks] == [
        ("Bộ phận một cửa", 3, 2),
        ("Quầy 2", 1, 0),
    ]
    assert summary.rate.whole == 4 and summary.rate.value == Decimal("50.0")
    assert dict(summary.levels)["Rất hài lòng"] == 1
    assert (summary.repeats, summary.refused) == (1, 1)


def test_the_overview_is_for_internal_affairs_and_leaders_in_fixed_queries(
    desk: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    from django.utils import timezone

    now = timezone.now()
    answers(desk, [5, 1], at=now, comment="đm")
    with django_assert_max_num_queries(6):
        overview = survey_overview(cast.leader)
    assert overview.rows[0].months[-1][0] == 2
    assert len(overview.attention) == 2
    assert survey_overview(cast.department_office).rows == []
