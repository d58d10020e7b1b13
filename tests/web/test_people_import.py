"""Units and people from a workbook: a dry run names every bad row; the real run is all or
nothing; a merged unit is retired."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from inspections.models import OrgUnit, UserRole
from tests.accounts import sign_in


def client_for(user: Any) -> Client:
    return sign_in(user)


def workbook(units: list[list[Any]], people: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Don vi"
    sheet.append(["Mã", "Tên", "Cấp trên", "Khối", "Hiệu lực"])
    for row in units:
        sheet.append(row)
    other = book.create_sheet("Nguoi dung")
    other.append(["Tên đăng nhập", "Họ và tên", "Email", "Vai trò", "Mã đơn vị"])
    for row in people:
        other.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("nhap.xlsx", out.getvalue())


GOOD_UNITS = [
    ["PHUONG-MOI", "Phường Mới", "UBND", "phuong-xa", "01/01/2026"],
    ["TH-MOI", "Trường Tiểu học Mới", "PHUONG-MOI", "phuong-xa", None],
]
GOOD_PEOPLE = [["nguyenvana", "Nguyễn Văn An", "a@example.vn", "office", "PHUONG-MOI"]]
BAD_UNITS = [
    ["", "Không mã", "UBND", "phuong-xa", None],
    ["X1", "Sai", "KHONG-CO", "khoi-la", "32/13/2026"],
]
BAD_PEOPLE = [["tranb", "Trần Thị Bích", "khong-email", "giam-doc", "DV-LA"]]


def test_the_template_downloads_as_a_workbook_with_both_sheets(cast: Any) -> None:
    response = client_for(cast.internal_affairs).get(reverse("people-template"))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Đơn vị", "Người dùng"]


def test_the_dry_run_names_every_bad_row_and_writes_nothing(cast: Any) -> None:
    file = workbook(GOOD_UNITS + BAD_UNITS, GOOD_PEOPLE + BAD_PEOPLE)
    response = client_for(cast.internal_affairs).post(
        reverse("people-import"), {"file": file, "mode": "dry"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    for where in ("Don vi, dòng 4", "Don vi, dòng 5", "Nguoi dung, dòng 3"):
        assert where in html
    assert "Don vi, dòng 2" not in html and "Nguoi dung, dòng 2" not in html
    assert "Không có đơn vị cấp trên “KHONG-CO”" in html and "dd/mm/yyyy" in html
    assert not OrgUnit.objects.filter(code="PHUONG-MOI").exists()


def test_the_real_run_writes_nothing_when_one_row_is_bad_and_everything_when_none_is(
    cast: Any,
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    url = reverse("people-import")
    refused = noi_vu.post(
        url, {"file": workbook(GOOD_UNITS, GOOD_PEOPLE + BAD_PEOPLE), "mode": "real"}
    )
    assert refused.status_code == 400
    assert not OrgUnit.objects.filter(code="PHUONG-MOI").exists()
    assert not get_user_model().objects.filter(username="nguyenvana").exists()
    done = noi_vu.post(url, {"file": workbook(GOOD_UNITS, GOOD_PEOPLE), "mode": "real"})
    assert done.status_code == 302
    school = OrgUnit.objects.get(code="TH-MOI")
    assert school.parent.code == "PHUONG-MOI" and school.group.code == "phuong-xa"
    role = UserRole.objects.get(user__username="nguyenvana")
    assert (role.kind, role.unit.code) == ("office", "PHUONG-MOI")
    assert role.user.profile.full_name == "Nguyễn Văn An"


def test_a_file_that_is_not_a_workbook_is_a_400_and_others_cannot_import(cast: Any) -> None:
    junk = SimpleUploadedFile("nhap.xlsx", b"PK\x03\x04 broken")
    response = client_for(cast.internal_affairs).post(reverse("people-import"), {"file": junk})
    assert response.status_code == 400
    for user in (cast.leader, cast.ward_office):
        file = workbook(GOOD_UNITS, [])
        assert client_for(user).post(reverse("people-import"), {"file": file}).status_code == 403
    assert not OrgUnit.objects.filter(code="PHUONG-MOI").exists()


def test_a_unit_merged_into_another_is_retired_with_its_successor(org: Any, cast: Any) -> None:
    noi_vu = client_for(cast.internal_affairs)
    url = reverse("people-retire")
    own = {"unit": "PANLAC", "merged_into": "THANLAC", "valid_to": "2026-06-30"}
    assert noi_vu.post(url, own).status_code == 400
    form = {"unit": "THANLAC", "merged_into": "PANLAC", "valid_to": "2026-06-30"}
    assert noi_vu.post(url, form).status_code == 302
    org.school.refresh_from_db()
    assert org.school.merged_into == org.ward and str(org.school.valid_to) == "2026-06-30"
    assert client_for(cast.leader).post(url, form).status_code == 403


def test_the_template_speaks_vietnamese_and_its_example_rows_are_never_imported(
    cast: Any,
) -> None:
    noi_vu = client_for(cast.internal_affairs)
    template = noi_vu.get(reverse("people-template")).content
    book = load_workbook(io.BytesIO(template))
    people = book["Người dùng"]
    assert "Cán bộ kiểm tra" in str(people["D1"].value) and "inspector" not in str(
        people["D1"].value
    )
    assert people["D2"].value == "Đơn vị" and people["F2"].value == "Ví dụ"

    response = noi_vu.post(
        reverse("people-import"),
        {"file": SimpleUploadedFile("mau.xlsx", template), "mode": "real"},
    )
    assert response.status_code in (200, 302)
    assert not OrgUnit.objects.filter(code="PHUONG-MOI").exists()
    assert not UserRole.objects.filter(user__username="nguyenthuha").exists()


def test_a_filled_template_takes_role_names_in_vietnamese_or_english(cast: Any) -> None:
    book = load_workbook(
        io.BytesIO(client_for(cast.internal_affairs).get(reverse("people-template")).content)
    )
    book["Đơn vị"].append(["PHUONG-MOI", "Phường Mới", "UBND", "phuong-xa", "01/01/2026"])
    book["Người dùng"].append(
        ["nguyenvana", "Nguyễn Văn An", "a@example.vn", "Đơn vị", "PHUONG-MOI"]
    )
    book["Người dùng"].append(["lethib", "Lê Thị Bình", "b@example.vn", "inspector", "PHUONG-MOI"])
    book["Người dùng"].append(["phamc", "Phạm Văn Cường", "", "Leader", ""])
    out = io.BytesIO()
    book.save(out)
    response = client_for(cast.internal_affairs).post(
        reverse("people-import"),
        {"file": SimpleUploadedFile("nhap.xlsx", out.getvalue()), "mode": "real"},
    )
    assert response.status_code in (200, 302)
    roles = dict(
        UserRole.objects.filter(user__username__in=["nguyenvana", "lethib", "phamc"]).values_list(
            "user__username", "kind"
        )
    )
    assert roles == {"nguyenvana": "office", "lethib": "inspector", "phamc": "leader"}
