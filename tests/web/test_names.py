"""People appear as Vietnamese write them and sort by given name: header, assignments, export."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.exports import HEADER_ROW
from inspections.models import RoleKind
from inspections.vietnamese import person_sort_key
from tests.accounts import sign_in
from tests.factories import make_user
from tests.inspections.builders import approved_inspection, assign

# In Vietnamese order (by given name): An, Ánh, Tuấn. By family name it would be Đặng, Lê,
# Nguyễn; by creation order (below) Tuấn, Ánh, An. Only the right rule gives this list.
EXPECTED = ["Nguyễn Văn An", "Đặng Thị Ánh", "Lê Minh Tuấn"]


@pytest.fixture
def three(org: Any) -> dict[str, Any]:
    return {
        "Lê Minh Tuấn": make_user("tuan", RoleKind.INSPECTOR, org.noi_vu, "Lê Minh Tuấn"),
        "Đặng Thị Ánh": make_user("anh", RoleKind.INSPECTOR, org.tai_chinh, "Đặng Thị Ánh"),
        "Nguyễn Văn An": make_user("an", RoleKind.INSPECTOR, org.thi_dua, "Nguyễn Văn An"),
    }


def test_the_sort_key_puts_the_given_name_first_then_the_rest() -> None:
    names = ["Trần An", "Nguyễn Văn An", "Đặng Thị Ánh", "Lê Minh Tuấn", "Lê Tuấn"]
    assert sorted(names, key=person_sort_key) == [
        "Nguyễn Văn An",
        "Trần An",
        "Đặng Thị Ánh",
        "Lê Tuấn",  # same given name: "Lê" before "Lê Minh"
        "Lê Minh Tuấn",
    ]


def test_the_header_shows_the_name_as_typed(three: dict[str, Any]) -> None:
    for name, user in three.items():
        html = sign_in(user).get(reverse("home")).content.decode()
        assert f'<a class="who" href="/tai-khoan/">{name}</a>' in html


def test_the_assignment_form_and_board_list_people_by_given_name(
    open_round: Any, org: Any, cast: Any, three: dict[str, Any]
) -> None:
    for name in reversed(EXPECTED):
        assign(open_round, org.ward, three[name], by=cast.internal_affairs)
    html = sign_in(cast.internal_affairs).get(reverse("round", args=[open_round.pk])).content
    page = html.decode()
    board = page[page.index('id="board-title"') : page.index("</table>")]
    assert re.findall(r"<td>([^<]+)</td>\s*<td>\d", board) == EXPECTED
    form = page[page.index('id="assign-title"') :]  # the assignment form, not the board's filter
    select = form[form.index('name="inspector"') : form.index("</select>")]
    options = [o for o in re.findall(r">([^<]+)</option>", select) if o.strip("-")]
    assert [o for o in options if o in EXPECTED] == EXPECTED
    assert "Tuấn Lê Minh" not in page and "Ánh Đặng Thị" not in page


def test_the_ranking_export_names_the_inspectors_in_vietnamese_order(
    open_round: Any, org: Any, cast: Any, three: dict[str, Any]
) -> None:
    for name in reversed(EXPECTED):
        approved_inspection(
            open_round, org.ward, three[name], internal_affairs=cast.internal_affairs
        )
    url = reverse("round-ranking", args=[open_round.pk])
    download = sign_in(cast.internal_affairs).get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(download.getvalue()))["Khối phường, xã"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    column = headers.index("Cán bộ kiểm tra")
    ward = next(row for row in sheet.iter_rows(values_only=True) if row[3] == "Phường An Lạc")
    assert ward[column] == ", ".join(EXPECTED)
    csv = sign_in(cast.internal_affairs).get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert ", ".join(EXPECTED) in csv


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_family_and_given_names_in_vietnamese_order() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("inspections", "0004_api_token")]
    after = [("inspections", "0005_people")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("auth", "User")
        old.objects.create(username="tuan", first_name="Minh Tuấn", last_name="Lê")
        old.objects.create(username="ban-it")
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("inspections", "Profile")
        names = dict(new.objects.values_list("user__username", "full_name"))
        assert names == {"tuan": "Lê Minh Tuấn", "ban-it": "ban-it"}
        assert new.objects.get(user__username="tuan").sort_key == person_sort_key("Lê Minh Tuấn")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
