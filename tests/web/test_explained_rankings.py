"""Rankings say why: a ★ failure's cap, the ordering rule, unranked and provisional rows;
a self-assessment beside the official result, criterion by criterion."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal
from typing import Any

from django.urls import reverse

from inspections import scoring
from inspections.models import Inspection, UnitResult
from inspections.selectors import rules_for_version
from inspections.services import inspection_create
from tests.accounts import sign_in
from tests.inspections.builders import answer_everything, approved_inspection, submitted_inspection

CAP = "giới hạn ở Đạt do A5 không đạt"


def text_of(response: Any) -> str:
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def test_scoring_names_the_star_failures_only_when_they_lowered_the_class(version: Any) -> None:
    rules = rules_for_version(version)
    top = {"yes_no": True, "level": 4, "percent": Decimal(100)}
    full = {c.code: top[c.answer_type] for c in rules.criteria}
    capped = scoring.score_inspection(rules, {**full, "A5": False})
    assert capped.classification == "dat" and capped.capped_by == ("A5",)
    bottom = {"yes_no": False, "level": 0, "percent": Decimal(0)}
    poor = {c.code: bottom[c.answer_type] for c in rules.criteria}
    low = scoring.score_inspection(rules, poor)
    assert low.critical_failures and low.capped_by == ()  # the score alone is below Đạt


def test_a_capped_class_is_explained_on_the_ranking_unit_page_dashboard_and_exports(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A5": False},
    )
    approved_inspection(
        open_round, org.tai_chinh, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assert UnitResult.objects.get(unit=org.ward).capped_by == ["A5"]
    assert UnitResult.objects.get(unit=org.tai_chinh).capped_by == []
    noi_vu = sign_in(cast.internal_affairs)
    url = reverse("round-ranking", args=[open_round.pk])

    ranking = text_of(noi_vu.get(url))
    assert CAP in ranking and ranking.count("giới hạn ở") == 1
    assert "xếp theo xếp loại trước (Xuất sắc, Tốt, Khá, Đạt, Không đạt)" in ranking
    assert CAP in text_of(noi_vu.get(reverse("unit", args=["PANLAC"])))
    dashboard = text_of(noi_vu.get(reverse("dashboard")))
    assert CAP in dashboard
    csv = noi_vu.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert "Giới hạn ở Đạt do A5 không đạt" in csv


def test_unranked_and_provisional_rows_say_why(open_round: Any, org: Any, cast: Any) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    submitted_inspection(
        open_round, org.ward, cast.other_inspector, internal_affairs=cast.internal_affairs
    )
    ranking = text_of(
        sign_in(cast.internal_affairs).get(reverse("round-ranking", args=[open_round.pk]))
    )
    assert "Tạm tính: còn 1 phiếu kiểm tra chưa được duyệt" in ranking
    school = ranking[ranking.index("Trường Tiểu học An Lạc") :]
    assert "Chưa có phiếu kiểm tra được duyệt" in school[: school.index("</tr>")]


def test_the_dashboard_lists_top_and_bottom_units_per_group(
    open_round: Any, org: Any, cast: Any
) -> None:
    for unit in (org.ward, org.tai_chinh):
        approved_inspection(
            open_round, unit, cast.inspector, internal_affairs=cast.internal_affairs
        )
    dashboard = text_of(sign_in(cast.leader).get(reverse("dashboard")))
    wards = dashboard.index("<h3>Khối phường, xã</h3>")
    departments = dashboard.index("<h3>Khối sở, ban, ngành</h3>")
    assert wards < departments  # groups in Vietnamese order, each with its own units
    assert "Phường An Lạc" in dashboard[wards:departments]
    assert "Sở Tài chính" not in dashboard[wards:departments]
    assert "Sở Tài chính" in dashboard[departments:]


def _self_assessment(open_round: Any, org: Any, cast: Any) -> Inspection:
    own, _created = inspection_create(
        by=cast.ward_office, round=open_round, unit=org.ward, kind=Inspection.Kind.SELF
    )
    answer_everything(own, cast.ward_office)
    return own


def test_the_unit_page_sets_the_self_assessment_beside_the_official_result(
    open_round: Any, org: Any, cast: Any
) -> None:
    _self_assessment(open_round, org, cast)
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 0},
    )
    for user in (cast.ward_office, cast.internal_affairs):
        unit_page = text_of(sign_in(user).get(reverse("unit", args=["PANLAC"])))
        assert "Tự đánh giá so với kết quả chính thức: Quý IV/2026" in unit_page
        assert "1 tiêu chí có kết quả khác nhau" in unit_page
        a1 = unit_page[unit_page.index('<span class="code">A1</span>') - 40 :]
        assert a1.startswith('<tr class="differs">') or 'class="differs"' in a1[:60]
        assert "≠ Khác" in re.sub(r"<[^>]+>", "", a1[: a1.index("</tr>")])
        compare = reverse("unit-self-compare", args=["PANLAC", open_round.pk])
        assert "1 tiêu chí có kết quả khác nhau" in text_of(sign_in(user).get(compare))


def test_another_units_office_cannot_open_the_comparison(
    open_round: Any, org: Any, cast: Any
) -> None:
    _self_assessment(open_round, org, cast)
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    compare = reverse("unit-self-compare", args=["PANLAC", open_round.pk])
    assert sign_in(cast.department_office).get(compare).status_code == 404
    no_official = reverse("unit-self-compare", args=["STC", open_round.pk])
    assert sign_in(cast.internal_affairs).get(no_official).status_code == 404
