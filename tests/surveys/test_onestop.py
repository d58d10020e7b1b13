"""The round's one-stop export: the layout, a bad row named by line and column, and D1/D3
offered on the checklist with the unit's rows as evidence."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from inspections.errors import DomainError
from inspections.models import Answer, EvidencePhoto, OneStopDossier
from inspections.onestop_workbook import headers, template_workbook
from inspections.selectors.indicators import indicator_proposal
from inspections.services import inspection_create
from inspections.services.indicators import indicator_accept
from inspections.services.onestop import onestop_import
from tests.accounts import sign_in
from tests.inspections.builders import assign

pytestmark = pytest.mark.django_db


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(headers())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dossier(n: int, *, unit: str = "PANLAC", late: bool = False, online: bool = True) -> list[Any]:
    return [
        unit,
        f"H-{n:04d}",
        "03/11/2026",
        "10/11/2026",
        "12/11/2026" if late else "07/11/2026",
        "Trực tuyến" if online else "Trực tiếp",
    ]


GOOD = [
    dossier(1),
    dossier(2, late=True),
    dossier(3, online=False),
    [*dossier(4)[:4], None, "Bưu chính"],  # not resolved yet: not in D1
    dossier(5, unit="STC"),
]


def test_the_template_has_the_documented_columns() -> None:
    sheet = load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    assert [c.value for c in sheet[1]] == headers()


def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_imported(
    open_round: Any, cast: Any
) -> None:
    rows = [
        dossier(1),
        ["PANLAC", "H-0002", "31/02/2026", "10/11/2026", "", "Trực tuyến"],
        ["KHONGCO", "H-0003", "03/11/2026", "10/11/2026", "", "Trực tuyến"],
        ["PANLAC", "H-0001", "03/11/2026", "01/11/2026", "", "qua mạng"],
    ]
    with pytest.raises(DomainError) as refused:
        onestop_import(
            by=cast.internal_affairs, round=open_round, data=workbook(rows), file_name="x.xlsx"
        )
    problems = refused.value.fields["file"]
    assert problems[0] == (
        "Dòng 3, cột “Ngày tiếp nhận”: không phải ngày dd/mm/yyyy (giá trị: “31/02/2026”)."
    )
    assert problems[1].startswith("Dòng 4, cột “Mã đơn vị”: không có đơn vị nào mang mã này")
    assert "Dòng 5, cột “Mã hồ sơ”: trùng với dòng 2" in problems[2]
    assert any(p.startswith("Dòng 5, cột “Hạn trả kết quả”: hạn trả trước") for p in problems)
    assert any(p.startswith("Dòng 5, cột “Hình thức nộp”") for p in problems)
    assert not OneStopDossier.objects.exists()


def test_only_internal_affairs_imports_and_a_new_file_replaces_the_last(
    open_round: Any, cast: Any
) -> None:
    with pytest.raises(DomainError):
        onestop_import(by=cast.ward_office, round=open_round, data=workbook(GOOD), file_name="a")
    onestop_import(by=cast.internal_affairs, round=open_round, data=workbook(GOOD), file_name="a")
    source = onestop_import(
        by=cast.internal_affairs, round=open_round, data=workbook(GOOD[:2]), file_name="b.xlsx"
    )
    assert source.rows == 2 and source.file_name == "b.xlsx"
    assert OneStopDossier.objects.count() == 2


def test_d1_and_d3_are_offered_and_accepted_with_the_units_rows(
    open_round: Any, org: Any, cast: Any
) -> None:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    draft, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    assert indicator_proposal(draft, "D1") is None  # nothing imported for the round yet
    onestop_import(by=cast.internal_affairs, round=open_round, data=workbook(GOOD), file_name="a")
    on_time = indicator_proposal(draft, "D1")
    online = indicator_proposal(draft, "D3")
    assert on_time is not None and online is not None
    # D1: 2 of the 3 resolved on time (66,7); D3: 2 of the 4 received online (50,0).
    assert (on_time.rate.part, on_time.rate.whole, on_time.value) == (2, 3, Decimal("66.7"))
    assert (online.rate.part, online.rate.whole, online.value) == (2, 4, Decimal("50.0"))
    answer, photo = indicator_accept(by=cast.inspector, inspection=draft, code="D3")
    assert Answer.objects.get(pk=answer.pk).number == Decimal("50.0")
    stored = EvidencePhoto.objects.get(pk=photo.pk)
    assert stored.criterion is not None and stored.criterion.code == "D3"
    assert stored.original.read().startswith(b"%PDF-")
    page = Client()
    page.force_login(cast.inspector)
    html = page.get(f"/phieu/{draft.pk}/").content.decode()
    assert "2/3 hồ sơ đã giải quyết đúng hạn" in html and "Dùng 66,7% kèm minh chứng" in html


def test_a_unit_without_rows_gets_the_reason(open_round: Any, org: Any, cast: Any) -> None:
    assign(open_round, org.tai_chinh, cast.inspector, by=cast.internal_affairs)
    draft, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.tai_chinh)
    onestop_import(
        by=cast.internal_affairs, round=open_round, data=workbook(GOOD[:1]), file_name="a"
    )
    proposal = indicator_proposal(draft, "D3")
    assert proposal is not None and proposal.value is None
    assert "không có hồ sơ nào của đơn vị" in proposal.reason


def test_the_upload_page_shows_every_bad_row(open_round: Any, cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = sign_in(cast.internal_affairs)
    assert client.get("/khao-sat/mot-cua/").status_code == 200
    template = client.get("/khao-sat/mot-cua/mau.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    bad = workbook([["PANLAC", "H-1", "03/11/2026", "x", "", "Trực tuyến"]])
    page = client.post(
        "/khao-sat/mot-cua/",
        {"round": open_round.pk, "file": SimpleUploadedFile("mot-cua.xlsx", bad)},
    )
    assert page.status_code == 400
    assert "Dòng 2, cột “Hạn trả kết quả”: không phải ngày dd/mm/yyyy" in page.content.decode()
    good = client.post(
        "/khao-sat/mot-cua/",
        {"round": open_round.pk, "file": SimpleUploadedFile("mot-cua.xlsx", workbook(GOOD))},
    )
    assert good.status_code == 302 and OneStopDossier.objects.count() == 5
    office = Client()
    office.force_login(cast.ward_office)
    assert office.get("/khao-sat/mot-cua/").status_code == 403


def test_dates_typed_as_date_cells_are_read() -> None:
    from inspections.onestop_workbook import read_dossiers

    rows = read_dossiers(
        workbook(
            [
                [
                    "panlac",
                    "H-1",
                    datetime.date(2026, 11, 3),
                    datetime.datetime(2026, 11, 10),
                    None,
                    "TRUC TUYEN",
                ]
            ]
        ),
        {"PANLAC"},
    )
    assert rows[0].received_on == datetime.date(2026, 11, 3) and rows[0].online
