"""Locking and publishing from the round page: the pending list first, then a confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Assignment, Inspection, RankingSnapshot, Round
from inspections.services import inspection_create, round_close
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection, assign, submitted_inspection


@pytest.fixture
def busy_round(open_round: Round, org: Any, cast: Any) -> Round:
    ia = cast.internal_affairs
    approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    submitted_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    assign(open_round, org.thi_dua, cast.other_inspector, by=ia)
    inspection_create(by=cast.other_inspector, round=open_round, unit=org.thi_dua)
    assign(open_round, org.tai_chinh, cast.inspector, by=ia)
    return open_round


def test_the_round_page_leads_to_a_close_page_listing_the_open_work_with_links(
    busy_round: Round, org: Any, cast: Any
) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    page = noi_vu.get(reverse("round", args=[busy_round.pk])).content.decode()
    assert reverse("round-close", args=[busy_round.pk]) in page
    html = noi_vu.get(reverse("round-close", args=[busy_round.pk])).content.decode()
    submitted = Inspection.objects.get(unit=org.school)
    draft = Inspection.objects.get(unit=org.thi_dua)
    assert reverse("review-inspection", args=[submitted.pk]) in html
    assert reverse("result", args=[draft.pk]) in html
    assert reverse("unit", args=[org.tai_chinh.code]) in html  # not started: no inspection yet
    assert reverse("person", args=[cast.other_inspector.pk]) in html
    assert "Đợt chưa đến ngày kết thúc" in html
    assert 'name="confirm"' in html


def test_closing_without_the_confirmation_is_refused_and_the_list_shown_again(
    busy_round: Round, cast: Any
) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    url = reverse("round-close", args=[busy_round.pk])
    refused = noi_vu.post(url, {})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "1 phiếu đã nộp chưa duyệt" in html and 'aria-invalid="true"' in html
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.OPEN
    assert noi_vu.post(url, {"confirm": "1"}).status_code == 302
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.CLOSED


def test_publishing_with_an_unreviewed_inspection_asks_a_reason_and_keeps_it(
    busy_round: Round, cast: Any
) -> None:
    round_close(round=busy_round, by=cast.internal_affairs, confirmed=True)
    noi_vu = sign_in(cast.internal_affairs)
    url = reverse("round-publish", args=[busy_round.pk])
    assert 'name="reason"' in noi_vu.get(url).content.decode()
    refused = noi_vu.post(url, {"confirm": "1"})
    assert refused.status_code == 400
    assert "hãy nêu lý do công bố khi chưa duyệt hết" in refused.content.decode()
    assert not RankingSnapshot.objects.exists()
    done = noi_vu.post(url, {"confirm": "1", "reason": "Công bố đúng hạn"})
    assert done.status_code == 302
    assert RankingSnapshot.objects.get().reason == "Công bố đúng hạn"


def test_a_leader_and_an_inspector_cannot_use_the_confirmation_pages(
    busy_round: Round, cast: Any
) -> None:
    for user in (cast.leader, cast.inspector):
        client = sign_in(user)
        assert client.get(reverse("round-close", args=[busy_round.pk])).status_code == 403
        assert (
            client.post(reverse("round-close", args=[busy_round.pk]), {"confirm": "1"}).status_code
            == 403
        )
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.OPEN


def test_the_publish_page_of_an_open_round_is_a_wrong_state(busy_round: Round, cast: Any) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    assert noi_vu.get(reverse("round-publish", args=[busy_round.pk])).status_code == 409


def test_the_close_page_runs_the_same_queries_for_one_pending_row_or_many(
    open_round: Round, org: Any, cast: Any
) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    url = reverse("round-close", args=[open_round.pk])
    Assignment.objects.create(round=open_round, unit=org.ward, inspector=cast.inspector)
    noi_vu.get(url)
    with CaptureQueriesContext(connection) as one:
        noi_vu.get(url)
    for unit in (org.school, org.tai_chinh, org.city):
        Assignment.objects.create(round=open_round, unit=unit, inspector=cast.other_inspector)
    inspection_create(by=cast.other_inspector, round=open_round, unit=org.school)
    with CaptureQueriesContext(connection) as many:
        noi_vu.get(url)
    assert len(many) == len(one)


def test_a_checklist_of_a_locked_round_says_so_before_anyone_types(
    busy_round: Round, org: Any, cast: Any
) -> None:
    draft = Inspection.objects.get(unit=org.thi_dua)
    page = sign_in(cast.other_inspector).get(reverse("checklist", args=[draft.pk]))
    assert "data-round-locked" not in page.content.decode()
    round_close(round=busy_round, by=cast.internal_affairs, confirmed=True)
    html = sign_in(cast.other_inspector).get(reverse("checklist", args=[draft.pk])).content.decode()
    assert "data-round-locked" in html and "Đợt kiểm tra đã khóa" in html
    assert '<fieldset class="locked-checklist" disabled>' in html
    assert reverse("review", args=[draft.pk]) not in html  # no way to submit offered


def test_every_approved_inspection_is_linked_from_the_round_ranking_and_unit_pages(
    busy_round: Round, org: Any, cast: Any
) -> None:
    approved = Inspection.objects.get(unit=org.ward)
    link = reverse("result", args=[approved.pk])
    noi_vu = sign_in(cast.internal_affairs)
    assert link in noi_vu.get(reverse("round", args=[busy_round.pk])).content.decode()
    assert link in noi_vu.get(reverse("round-ranking", args=[busy_round.pk])).content.decode()
    office = sign_in(cast.ward_office)
    assert link in office.get(reverse("unit", args=[org.ward.code])).content.decode()
    submitted = Inspection.objects.get(unit=org.school)
    ranking = noi_vu.get(reverse("round-ranking", args=[busy_round.pk])).content.decode()
    assert reverse("result", args=[submitted.pk]) not in ranking  # approved ones only


def test_the_ranking_links_cost_the_same_queries_for_one_approved_unit_or_many(
    open_round: Round, org: Any, cast: Any
) -> None:
    ia = cast.internal_affairs
    noi_vu = sign_in(ia)
    url = reverse("round-ranking", args=[open_round.pk])
    approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    noi_vu.get(url)
    with CaptureQueriesContext(connection) as one:
        noi_vu.get(url)
    approved_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    approved_inspection(open_round, org.tai_chinh, cast.inspector, internal_affairs=ia)
    with CaptureQueriesContext(connection) as many:
        noi_vu.get(url)
    assert len(many) == len(one)
