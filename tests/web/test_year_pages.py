"""The year's pages: ranking per group, policy form, publish with confirmation, proposals."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Event, ProposalDecision, YearPolicy
from tests.accounts import sign_in
from tests.inspections.year_builders import year_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(version: Any, org: Any) -> Any:
    return year_2026(version, org)


def test_the_year_index_opens_the_newest_year(rounds: Any, cast: Any) -> None:
    response = sign_in(cast.leader).get(reverse("year-index"))
    assert response.status_code == 302 and response["Location"] == reverse("year", args=[2026])


def test_the_ranking_page_shows_each_group_with_round_scores(rounds: Any, cast: Any) -> None:
    html = sign_in(cast.leader).get(reverse("year", args=[2026])).content.decode()
    assert "Khối phường, xã" in html and "Khối sở, ban, ngành" in html
    assert "Quý 1/2026: </span>91,00" in html
    assert "92,00" in html
    assert "Có kết quả ở 1/2 đợt cần có" in html  # Ban Thi đua
    assert "Còn 1 đợt của năm chưa công bố" in html
    assert reverse("year-publish", args=[2026]) not in html  # leaders publish nothing


def test_the_group_filter_and_a_bad_group(rounds: Any, cast: Any, org: Any) -> None:
    client = sign_in(cast.internal_affairs)
    html = client.get(reverse("year", args=[2026]), {"group": org.wards.pk}).content.decode()
    assert "Khối phường, xã" in html and "Sở Nội vụ" not in html.split("<main")[1]
    assert client.get(reverse("year", args=[2026]), {"group": "x"}).status_code == 400
    assert client.get(reverse("year", args=[2026]), {"group": "99999"}).status_code == 400


def test_a_year_out_of_range_is_a_404(cast: Any) -> None:
    client = sign_in(cast.internal_affairs)
    for name in ("year", "year-policy", "year-proposals"):
        assert client.get(reverse(name, args=[1999])).status_code == 404
    assert client.get("/nam/99999999999999999999999999/").status_code == 404


def test_offices_see_the_year_only_once_published(rounds: Any, cast: Any) -> None:
    office = sign_in(cast.ward_office)
    assert office.get(reverse("year", args=[2026])).status_code == 403
    assert office.get(reverse("year-proposals", args=[2026])).status_code == 403


def test_the_ranking_downloads_as_a_workbook(rounds: Any, cast: Any) -> None:
    response = sign_in(cast.leader).get(reverse("year", args=[2026]), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-nam-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Khối phường, xã"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[4][:6] == ("STT", "Hạng", "Mã đơn vị", "Đơn vị", "Điểm năm", "Xếp loại năm")
    assert rows[5][:5] == (1, 1, "PANLAC", "Phường An Lạc", 92)


def test_internal_affairs_edits_the_policy_and_sees_field_errors(rounds: Any, cast: Any) -> None:
    client = sign_in(cast.internal_affairs)
    url = reverse("year-policy", args=[2026])
    form = {
        "minimum_rounds": "3",
        "min_xuat_sac": "91",
        "min_tot": "80",
        "min_kha": "65",
        "min_dat": "50",
        "min_khong_dat": "0",
        "critical_cap": "dat",
        "propose_classes": ["xuat_sac", "tot"],
        "require_no_critical": "1",
        "require_commitment": "1",
    }
    assert client.post(url, form).status_code == 302
    policy = YearPolicy.objects.get(year=2026)
    assert policy.minimum_rounds == 3 and policy.classes[0]["minimum_score"] == "91.00"
    assert policy.propose_classes == ["xuat_sac", "tot"] and not policy.require_actions_verified
    bad = client.post(url, {**form, "min_tot": "95", "minimum_rounds": "٣"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "thấp hơn của mức xếp loại đứng trước" in html and "Số đợt tối thiểu" in html
    assert 'value="95"' in html  # what was typed stays


def test_leaders_read_the_policy_but_cannot_save_it(rounds: Any, cast: Any) -> None:
    client = sign_in(cast.leader)
    url = reverse("year-policy", args=[2026])
    html = client.get(url).content.decode()
    assert "<fieldset disabled>" in html and "Lưu quy tắc" not in html
    assert client.post(url, {"minimum_rounds": "1"}).status_code == 403
    assert not YearPolicy.objects.exists()


def test_publishing_asks_for_a_confirmation(rounds: Any, cast: Any) -> None:
    client = sign_in(cast.internal_affairs)
    url = reverse("year-publish", args=[2026])
    html = client.get(url).content.decode()
    assert "Quý 4/2026: <strong>không được tính</strong>" in html
    refused = client.post(url, {})
    assert (
        refused.status_code == 400 and "Còn 1 đợt của năm chưa công bố" in refused.content.decode()
    )
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert YearPolicy.objects.get(year=2026).is_published
    page = client.get(reverse("year", args=[2026])).content.decode()
    assert "Đã công bố" in page and reverse("year-publish", args=[2026]) not in page
    assert client.post(url, {"confirm": "1"}).status_code == 409
    assert sign_in(cast.leader).get(url).status_code == 403


def test_proposals_are_added_and_removed_with_a_reason(rounds: Any, cast: Any, org: Any) -> None:
    client = sign_in(cast.internal_affairs)
    page = reverse("year-proposals", args=[2026])
    html = client.get(page).content.decode()
    assert "Chưa nộp bản cam kết năm 2026" in html and "Có tiêu chí ★ không đạt trong năm" in html
    decide = reverse("proposal-decide", args=[2026, org.ward.pk])
    refused = client.post(decide, {"action": "add", "reason": ""})
    assert refused.status_code == 400 and "Hãy nêu lý do" in refused.content.decode()
    done = client.post(decide, {"action": "add", "reason": "Điển hình của khối"})
    assert done.status_code == 302 and done["Location"].endswith(f"#u-{org.ward.pk}")
    assert ProposalDecision.objects.get(unit=org.ward).proposed
    html = client.get(page).content.decode()
    assert "Phòng Nội vụ bổ sung vào danh sách: Điển hình của khối" in html
    assert client.post(decide, {"action": "reset", "reason": "Đã có cam kết"}).status_code == 302
    assert not ProposalDecision.objects.exists()
    assert Event.objects.filter(action__in=["proposal_added", "proposal_reset"]).count() == 2
    assert client.post(decide, {"action": "boom", "reason": "x"}).status_code == 400
    assert sign_in(cast.leader).post(decide, {"action": "add", "reason": "x"}).status_code == 403


def test_proposals_download_as_xlsx_and_pdf(rounds: Any, cast: Any) -> None:
    client = sign_in(cast.leader)
    page = reverse("year-proposals", args=[2026])
    response = client.get(page, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Đề nghị khen thưởng", "Không đề nghị"]
    rows = list(book["Không đề nghị"].iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách đơn vị không đề nghị khen thưởng năm 2026"
    assert any(row[2] == "Phường An Lạc" and "cam kết" in row[7] for row in rows[5:])
    pdf = client.get(page, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_office_reads_the_published_year_without_links_to_other_units(
    rounds: Any, cast: Any, org: Any
) -> None:
    from inspections.services import year_publish

    year_publish(by=cast.internal_affairs, year=2026, confirmed=True)
    html = sign_in(cast.ward_office).get(reverse("year", args=[2026])).content.decode()
    assert "Sở Tài chính" in html and reverse("unit", args=["STC"]) not in html
    assert reverse("year-proposals", args=[2026]) not in html
