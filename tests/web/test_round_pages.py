"""Rounds, assignments, the progress board, the review queue and the ranking pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Assignment, Inspection, RankingSnapshot, Round
from inspections.selectors import ranking_for_round
from inspections.services import round_close
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection, submitted_inspection


def client_for(user: Any) -> Client:
    return sign_in(user)


def test_internal_affairs_creates_a_round_and_bad_dates_are_a_form_error(
    version: Any, cast: Any
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    form = {"name": "Quý I/2027", "version": version.pk, "starts_on": "2027-01-01"}
    refused = noi_vu.post(reverse("rounds"), {**form, "ends_on": "2026-12-01"})
    assert refused.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in refused.content.decode()
    assert not Round.objects.exists()
    made = noi_vu.post(reverse("rounds"), {**form, "ends_on": "2027-03-31"})
    round_ = Round.objects.get()
    assert made["Location"] == reverse("round", args=[round_.pk])
    assert noi_vu.post(reverse("round-step", args=[round_.pk, "mo"])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


def test_a_leader_reads_rounds_but_every_post_is_forbidden(
    open_round: Any, org: Any, cast: Any
) -> None:
    leader = client_for(cast.leader)
    assert leader.get(reverse("rounds")).status_code == 200
    assert leader.get(reverse("round", args=[open_round.pk])).status_code == 200
    assert leader.post(reverse("rounds"), {"name": "X"}).status_code == 403
    assert leader.post(reverse("round-step", args=[open_round.pk, "khoa"])).status_code == 403
    form = {"inspector": cast.inspector.pk, "units": [org.ward.pk]}
    assert leader.post(reverse("round-assign", args=[open_round.pk]), form).status_code == 403
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN and not Assignment.objects.exists()


def test_office_users_and_inspectors_cannot_reach_round_management(
    open_round: Any, cast: Any
) -> None:
    for user in (cast.ward_office, cast.inspector):
        assert client_for(user).get(reverse("rounds")).status_code == 403
        assert client_for(user).get(reverse("review-queue")).status_code == 403


def test_assigning_many_units_at_once_and_refusing_the_inspectors_own_unit(
    open_round: Any, org: Any, cast: Any
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    url = reverse("round-assign", args=[open_round.pk])
    own = {"inspector": cast.inspector.pk, "units": [org.ward.pk, org.thi_dua.pk]}
    refused = noi_vu.post(url, own)
    assert refused.status_code == 400
    assert "không được kiểm tra đơn vị của mình" in refused.content.decode()
    assert not Assignment.objects.exists()
    good = {"inspector": cast.inspector.pk, "units": [org.ward.pk, org.school.pk, org.tai_chinh.pk]}
    assert noi_vu.post(url, good).status_code == 302
    assert Assignment.objects.filter(round=open_round).count() == 3


def test_the_progress_board_shows_each_units_state_and_marks_late_ones(
    open_round: Any, org: Any, cast: Any
) -> None:
    submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    Assignment.objects.create(round=open_round, unit=org.school, inspector=cast.inspector)
    open_round.ends_on = open_round.starts_on  # long past: the school is late
    open_round.save()
    html = client_for(cast.leader).get(reverse("round", args=[open_round.pk])).content.decode()
    assert "Trường Tiểu học An Lạc" in html and "Chưa bắt đầu" in html
    assert "Đã nộp" in html and "Quá hạn" in html


@pytest.fixture
def submitted(open_round: Any, org: Any, cast: Any) -> Inspection:
    return submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )


def test_internal_affairs_approves_a_submitted_inspection_from_the_queue(
    submitted: Inspection, cast: Any
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    assert "Phường An Lạc" in noi_vu.get(reverse("review-queue")).content.decode()
    page = noi_vu.get(reverse("review-inspection", args=[submitted.pk])).content.decode()
    assert reverse("api:photo-file", args=[submitted.photos.first().pk, "display"]) in page
    assert noi_vu.post(reverse("review-approve", args=[submitted.pk])).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.APPROVED
    assert (
        client_for(cast.leader).post(reverse("review-approve", args=[submitted.pk])).status_code
        == 403
    )


def test_returning_needs_a_reason_and_keeps_the_criteria_chosen(
    submitted: Inspection, cast: Any
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    url = reverse("review-return", args=[submitted.pk])
    refused = noi_vu.post(url, {"reason": "", "criteria": ["A1"]})
    assert refused.status_code == 400
    assert "Hãy nêu lý do trả lại." in refused.content.decode()
    assert noi_vu.post(url, {"reason": "Ảnh A1 mờ", "criteria": ["A1", "A2"]}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == Inspection.State.RETURNED
    assert submitted.returned_criteria == ["A1", "A2"]


def test_revising_an_approved_inspection_changes_only_the_edited_answer(
    submitted: Inspection, cast: Any
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    noi_vu.post(reverse("review-approve", args=[submitted.pk]))
    url = reverse("review-revise", args=[submitted.pk])
    form = {"reason": "Chấm lại A1", "v-A1": "2", "n-A1": "Còn giấy tờ trên bàn"}
    bad = noi_vu.post(url, {**form, "v-A1": "chín"})
    assert bad.status_code == 400
    assert 'id="e-A1"' in bad.content.decode()  # the refusal is shown at its criterion
    assert "Mức phải là số nguyên từ 0 đến 4." in bad.content.decode()
    assert noi_vu.post(url, form).status_code == 302
    submitted.refresh_from_db()
    assert submitted.revision == 2
    assert submitted.answers.get(criterion__code="A1").level == 2


def test_the_ranking_page_and_its_xlsx_and_csv_come_from_the_same_ranking(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    approved_inspection(
        open_round,
        org.school,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1},
    )
    noi_vu = client_for(cast.internal_affairs)
    round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    assert noi_vu.post(reverse("round-step", args=[open_round.pk, "cong-bo"])).status_code == 302
    assert RankingSnapshot.objects.filter(round=open_round).count() == 1
    again = noi_vu.post(reverse("round-step", args=[open_round.pk, "cong-bo"]), {"reason": ""})
    assert again.status_code == 400 and RankingSnapshot.objects.count() == 1
    reason = {"reason": "Sửa điểm Trường An Lạc"}
    assert (
        noi_vu.post(reverse("round-step", args=[open_round.pk, "cong-bo"]), reason).status_code
        == 302
    )
    assert RankingSnapshot.objects.count() == 2
    url = reverse("round-ranking", args=[open_round.pk])
    html = client_for(cast.ward_office).get(url).content.decode()
    rows = [r for g in ranking_for_round(round=open_round) for r in g.rows if r.rank]
    assert f"{rows[0].score:.2f}".replace(".", ",") in html and "mới" in html
    download = noi_vu.get(url, {"format": "xlsx"})
    sheet_names = load_workbook(io.BytesIO(download.getvalue())).sheetnames
    assert len(sheet_names) == len(ranking_for_round(round=open_round))
    csv = noi_vu.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert "Phường An Lạc" in csv and "Trường Tiểu học An Lạc" in csv


def test_the_progress_board_runs_the_same_queries_for_one_unit_or_many(
    open_round: Any, org: Any, cast: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    leader = client_for(cast.leader)
    url = reverse("round", args=[open_round.pk])
    Assignment.objects.create(round=open_round, unit=org.ward, inspector=cast.inspector)
    leader.get(url)
    with CaptureQueriesContext(connection) as one:
        leader.get(url)
    for unit in (org.school, org.tai_chinh, org.city):
        Assignment.objects.create(round=open_round, unit=unit, inspector=cast.inspector)
    with CaptureQueriesContext(connection) as many:
        leader.get(url)
    assert len(many) == len(one)


def test_an_office_user_sees_the_whole_ranking_but_links_only_to_units_it_may_open(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    approved_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    client_for(cast.internal_affairs).post(reverse("round-step", args=[open_round.pk, "cong-bo"]))
    url = reverse("round-ranking", args=[open_round.pk])

    html = client_for(cast.ward_office).get(url).content.decode()
    assert "Sở Tài chính" in html and "Phường An Lạc" in html
    assert reverse("unit", args=[org.ward.code]) in html
    assert reverse("unit", args=[org.tai_chinh.code]) not in html

    everything = client_for(cast.leader).get(url).content.decode()
    assert reverse("unit", args=[org.tai_chinh.code]) in everything
