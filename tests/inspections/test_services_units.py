"""Groups and the unit tree: create, edit, move and retire, each with its Event; a move
rewrites a whole subtree's paths in one UPDATE."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from inspections.errors import Problem
from inspections.models import Event, Group, OrgUnit
from inspections.services import (
    group_delete,
    group_save,
    unit_create,
    unit_move,
    unit_retire,
    unit_update,
)
from inspections.services.units import directory_import
from tests.factories import OrgUnitFactory
from tests.inspections.builders import refusal

pytestmark = pytest.mark.django_db


def _path_updates(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and '"path"' in q["sql"]
    ]


def test_a_move_rewrites_the_whole_subtree_in_one_update(org, cast):
    deep = OrgUnitFactory(parent=org.school)
    deeper = OrgUnitFactory(parent=deep)
    with CaptureQueriesContext(connection) as queries:
        moved = unit_move(by=cast.internal_affairs, unit=org.ward, parent=org.noi_vu)
    assert len(_path_updates(queries)) == 1
    assert moved.parent == org.noi_vu
    deeper.refresh_from_db()
    assert deeper.path == f"{org.noi_vu.path}{org.ward.pk}/{org.school.pk}/{deep.pk}/{deeper.pk}/"
    assert deeper.is_within(org.noi_vu) and not deeper.is_within(org.tai_chinh)
    event = Event.objects.get(action="unit_moved")
    assert event.data == {"from": "UBND", "to": "SNV", "units_moved": 4}


def test_a_unit_moves_to_the_top_and_back(org, cast):
    top = unit_move(by=cast.internal_affairs, unit=org.ward, parent=None)
    assert top.path == f"/{org.ward.pk}/" and top.parent is None
    org.school.refresh_from_db()
    assert org.school.path == f"/{org.ward.pk}/{org.school.pk}/"
    back = unit_move(by=cast.internal_affairs, unit=org.ward, parent=org.city)
    assert back.path == f"{org.city.path}{org.ward.pk}/"


def test_moving_a_unit_where_it_already_is_changes_and_records_nothing(org, cast):
    unit_move(by=cast.internal_affairs, unit=org.ward, parent=org.city)
    assert not Event.objects.filter(action="unit_moved").exists()


@pytest.mark.parametrize("below", ["ward", "school"])
def test_a_unit_never_moves_below_itself(org, cast, below):
    refused = refusal(
        Problem.INVALID,
        unit_move,
        by=cast.internal_affairs,
        unit=org.ward,
        parent=getattr(org, below),
    )
    assert "parent" in refused.fields
    org.school.refresh_from_db()
    assert org.school.path == f"{org.city.path}{org.ward.pk}/{org.school.pk}/"


def test_a_unit_never_moves_below_a_retired_one(org, cast):
    unit_retire(
        by=cast.internal_affairs,
        unit=org.tai_chinh,
        merged_into=org.noi_vu,
        valid_to=datetime.date(2026, 6, 30),
    )
    refused = refusal(
        Problem.INVALID, unit_move, by=cast.internal_affairs, unit=org.ward, parent=org.tai_chinh
    )
    assert "hết hiệu lực" in refused.fields["parent"][0]


def test_only_internal_affairs_or_the_it_officer_change_the_tree(org, cast):
    for someone in (cast.inspector, cast.leader, cast.ward_office):
        refusal(Problem.FORBIDDEN, unit_move, by=someone, unit=org.school, parent=org.city)
    org.school.refresh_from_db()
    assert org.school.parent == org.ward


def test_a_retired_units_children_in_force_follow_its_successor(org, cast):
    gone = OrgUnitFactory(parent=org.ward, valid_to=datetime.date(2026, 1, 31))
    under_school = OrgUnitFactory(parent=org.school)
    with CaptureQueriesContext(connection) as queries:
        unit_retire(
            by=cast.internal_affairs,
            unit=org.ward,
            merged_into=org.tai_chinh,
            valid_to=datetime.date(2026, 6, 30),
        )
    assert len(_path_updates(queries)) == 1
    org.school.refresh_from_db()
    under_school.refresh_from_db()
    gone.refresh_from_db()
    assert org.school.parent == org.tai_chinh
    assert under_school.path == f"{org.tai_chinh.path}{org.school.pk}/{under_school.pk}/"
    assert gone.parent == org.ward and gone.is_within(org.ward)  # history stays where it was
    assert Event.objects.get(action="unit_retired").data["children_moved"] == 1


def test_a_unit_is_created_under_its_parent_and_recorded(org, cast):
    unit = unit_create(
        by=cast.internal_affairs,
        code="PMOI",
        name=" Phường Mới ",
        parent=org.city,
        group=org.wards,
        valid_from=datetime.date(2026, 1, 1),
    )
    assert (unit.name, unit.path) == ("Phường Mới", f"{org.city.path}{unit.pk}/")
    assert Event.objects.get(action="unit_created").data == {"code": "PMOI", "parent": "UBND"}


def test_a_unit_code_is_unique_and_a_retired_parent_takes_no_children(org, cast):
    taken = refusal(
        Problem.INVALID, unit_create, by=cast.internal_affairs, code="PANLAC", name="Trùng mã"
    )
    assert "code" in taken.fields
    unit_retire(
        by=cast.internal_affairs,
        unit=org.school,
        merged_into=org.ward,
        valid_to=datetime.date(2026, 6, 30),
    )
    late = refusal(
        Problem.INVALID,
        unit_create,
        by=cast.internal_affairs,
        code="LOP1",
        name="Lớp 1",
        parent=org.school,
    )
    assert "parent" in late.fields
    assert not OrgUnit.objects.filter(code__in=["LOP1"]).exists()


def test_a_unit_update_records_only_what_changed(org, cast):
    unit_update(
        by=cast.internal_affairs,
        unit=org.ward,
        code="PANLAC",
        name="Phường An Lạc",
        group=org.departments,
        valid_from=org.ward.valid_from,
    )
    event = Event.objects.get(action="unit_updated")
    assert event.data == {"changes": {"group": [org.wards.pk, org.departments.pk]}}
    unit_update(
        by=cast.internal_affairs,
        unit=org.ward,
        code="PANLAC",
        name="Phường An Lạc",
        group=org.departments,
        valid_from=org.ward.valid_from,
    )
    assert Event.objects.filter(action="unit_updated").count() == 1  # a no-op is not an edit


def test_a_groups_life_is_recorded_and_a_group_in_use_stays(org, cast):
    ia = cast.internal_affairs
    group = group_save(by=ia, code="truong-hoc", name="Khối trường học")
    group_save(by=ia, group=group, code="truong-hoc", name="Khối trường học công lập")
    refused = refusal(Problem.WRONG_STATE, group_delete, by=ia, group=org.wards)
    assert "đang có đơn vị" in refused.message
    group_delete(by=ia, group=group)
    assert not Group.objects.filter(code="truong-hoc").exists()
    assert Group.objects.filter(pk=org.wards.pk).exists()
    actions = Event.objects.filter(object_type="group").values_list("action", flat=True)
    assert sorted(actions) == ["group_created", "group_deleted", "group_updated"]


def test_a_group_code_is_unique(org, cast):
    refused = refusal(
        Problem.INVALID, group_save, by=cast.internal_affairs, code="phuong-xa", name="Trùng"
    )
    assert "code" in refused.fields


def _workbook(units: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Don vi"
    sheet.append(["Mã", "Tên", "Cấp trên", "Khối", "Hiệu lực"])
    for row in units:
        sheet.append(row)
    book.create_sheet("Nguoi dung").append(["Tên đăng nhập", "Họ", "Tên", "Email", "Vai trò", "Mã"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_workbook_import_moves_an_existing_unit_with_its_subtree(org, cast):
    data = _workbook([["PANLAC", "Phường An Lạc", "SNV", "phuong-xa", None]])
    report = directory_import(by=cast.internal_affairs, data=data)
    assert report.units_updated == 1
    org.school.refresh_from_db()
    assert org.school.path == f"{org.noi_vu.path}{org.ward.pk}/{org.school.pk}/"
