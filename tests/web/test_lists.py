"""Lists search, filter and sort through their shared FilterSets, the query kept in the URL."""

from __future__ import annotations

import datetime
import html as html_lib
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import selectors
from inspections.models import Assignment, Commitment, RoleKind
from inspections.vietnamese import search_key
from tests.accounts import sign_in
from tests.factories import OrgUnitFactory, make_user
from tests.inspections.builders import assign, submitted_inspection


def page(client: Client, name: str, *args: Any, **query: Any) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.content[:500]
    return html_lib.unescape(response.content.decode())


def table_rows(text: str) -> list[str]:
    """The row headers of the page's main table, as shown."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', body, re.S)
    ]


def test_the_search_key_folds_case_tones_and_the_letter_d() -> None:
    assert search_key("Phường ĐÔNG HÒA") == "phuong dong hoa"
    assert search_key("  Nguyễn   Thị Thu Hà ") == "nguyen thi thu ha"
    assert search_key("Ban Thi đua – Khen thưởng") == "ban thi dua khen thuong"


def test_typing_without_tones_finds_units_rounds_and_people_with_them(
    open_round: Any, org: Any
) -> None:
    OrgUnitFactory(code="DONGHOA", name="Phường Đông Hòa", parent=org.city, group=org.wards)
    OrgUnitFactory(code="DONGHAI", name="Phường Đông Hải", parent=org.city, group=org.wards)
    make_user("ha", RoleKind.OFFICE, org.ward, full_name="Nguyễn Thị Thu Hà")

    def names(query: dict[str, str]) -> list[str]:
        return [u.name for u in selectors.unit_list(query=query)]

    assert names({"q": "dong hoa"}) == ["Phường Đông Hòa"]
    assert names({"q": "ĐÔNG HÒA"}) == ["Phường Đông Hòa"]
    assert names({"q": "hoa dong"}) == ["Phường Đông Hòa"]  # every word, in any order
    assert names({"q": "dong hao"}) == []
    assert [r.name for r in selectors.round_list(query={"q": "quy iv"})] == ["Quý IV/2026"]
    people = selectors.people_list(query={"q": "NGUYEN thi thu ha"})
    assert [p.username for p in people] == ["ha"]
    # the unit a person works in is searched too, without tones
    assert "ha" in [p.username for p in selectors.people_list(query={"q": "phuong an lac"})]


def test_a_renamed_unit_or_person_is_found_by_its_new_name(org: Any) -> None:
    org.ward.name = "Phường Hòa Bình"
    org.ward.save(update_fields=["name"])
    assert [u.code for u in selectors.unit_list(query={"q": "hoa binh"})] == ["PANLAC"]


def test_the_review_queue_keeps_its_search_and_sort_in_the_url(
    open_round: Any, org: Any, cast: Any
) -> None:
    for unit in (org.ward, org.tai_chinh):
        submitted_inspection(
            open_round, unit, cast.inspector, internal_affairs=cast.internal_affairs
        )
    noi_vu = sign_in(cast.internal_affairs)

    everything = page(noi_vu, "review-queue")
    assert table_rows(everything) == ["Phường An Lạc", "Sở Tài chính"]  # longest waiting first
    found = page(noi_vu, "review-queue", q="tai chinh")
    assert table_rows(found) == ["Sở Tài chính"]
    assert 'value="tai chinh"' in found  # the form shows what was asked
    # a column header sorts and keeps the search: a link that can be shared
    assert 'href="?q=tai+chinh&sort=unit"' in found
    by_unit_down = page(noi_vu, "review-queue", sort="-unit")
    assert table_rows(by_unit_down) == ["Sở Tài chính", "Phường An Lạc"]
    assert 'aria-sort="descending"' in by_unit_down
    picked = page(noi_vu, "review-queue", group=str(org.wards.pk))
    assert table_rows(picked) == ["Phường An Lạc"]
    assert f'<option value="{org.wards.pk}" selected>Khối phường, xã</option>' in picked


def test_a_bad_filter_or_sort_is_a_400_naming_it(cast: Any) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    for name, query in (
        ("review-queue", {"sort": "password"}),
        ("rounds", {"year": "２０２６"}),
        ("people", {"unit": "abc"}),
        ("commitments", {"signed": "maybe"}),
    ):
        response = noi_vu.get(reverse(name), query)
        assert response.status_code == 400, name


def test_the_progress_board_filters_by_state_and_search_while_counting_the_whole_round(
    open_round: Any, org: Any, cast: Any
) -> None:
    submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    assign(open_round, org.school, cast.other_inspector, by=cast.internal_affairs)
    noi_vu = sign_in(cast.internal_affairs)

    waiting = page(noi_vu, "round", open_round.pk, state="not_started")
    assert table_rows(waiting) == ["Sở Tài chính", "Trường Tiểu học An Lạc"]
    assert "Chưa bắt đầu: <strong>2</strong>" in waiting and "Đã nộp: <strong>1</strong>" in waiting
    assert table_rows(page(noi_vu, "round", open_round.pk, q="truong an lac")) == [
        "Trường Tiểu học An Lạc"
    ]
    by_state = page(noi_vu, "round", open_round.pk, sort="-state")
    assert table_rows(by_state)[0] == "Phường An Lạc"  # submitted before not started
    Assignment.objects.filter(unit=org.school).update(due_on=datetime.date(2020, 1, 1))
    assert table_rows(page(noi_vu, "round", open_round.pk, late="1")) == ["Trường Tiểu học An Lạc"]


def test_commitments_filter_by_unit_and_signature(org: Any, cast: Any) -> None:
    Commitment.objects.create(unit=org.tai_chinh, year=2027, signed_on=datetime.date(2027, 1, 5))
    noi_vu = sign_in(cast.internal_affairs)
    signed = page(noi_vu, "commitments", nam="2027", signed="1")
    assert table_rows(signed) == ["Sở Tài chính"]
    assert "1/6 đơn vị đã ký" in signed  # the share is the whole year's, whatever the filter
    assert table_rows(page(noi_vu, "commitments", nam="2027", q="so noi vu")) == ["Sở Nội vụ"]


def test_the_people_list_picks_a_unit_by_name_and_searches_unit_names(org: Any, cast: Any) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    listed = page(noi_vu, "people", unit=str(org.ward.pk))
    assert table_rows(listed) == [cast.ward_office.profile.full_name]
    assert f'<option value="{org.ward.pk}" selected>Phường An Lạc</option>' in listed
    assert 'type="number"' not in listed[listed.index('role="search"') :].split("</form>")[0]
    found = page(noi_vu, "people", q="tai chinh")
    assert sorted(table_rows(found)) == sorted(
        [cast.other_inspector.profile.full_name, cast.department_office.profile.full_name]
    )


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["review-queue", "rounds", "round", "commitments", "people"])
def test_list_pages_run_as_many_queries_for_one_row_as_for_many(
    name: str, open_round: Any, org: Any, cast: Any
) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    url = reverse(name, args=[open_round.pk] if name == "round" else [])
    url += "?q=a&sort=-unit" if name in ("review-queue", "round") else "?q=a"
    if name == "commitments":
        url += "&nam=2027"
    submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    Commitment.objects.create(unit=org.ward, year=2027)
    one = _queries(noi_vu, url)
    for n, unit in enumerate((org.tai_chinh, org.school, org.noi_vu)):
        submitted_inspection(
            open_round,
            unit,
            cast.other_inspector if n else cast.inspector,
            internal_affairs=cast.internal_affairs,
        )
        Commitment.objects.create(unit=unit, year=2027)
        make_user(f"them{n}", RoleKind.OFFICE, unit)
    from inspections.services import round_create

    round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=open_round.version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    assert _queries(noi_vu, url) == one
