"""The CSV and XLSX renderers of the ranking endpoint, used directly and through a DRF view."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from api.renderers import RankingCSVRenderer, RankingXLSXRenderer
from inspections.exports import HEADER_ROW
from tests.inspections.test_exports import sample_groups, sample_round

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ranking() -> dict[str, Any]:
    return {"round": sample_round(), "groups": sample_groups()}


def _context() -> dict[str, Any]:
    return {"response": Response()}


def test_the_xlsx_renderer_gives_a_workbook_named_after_the_round() -> None:
    context = _context()
    content = RankingXLSXRenderer().render(_ranking(), XLSX, context)

    wb = load_workbook(io.BytesIO(content))
    assert len(wb.worksheets) == 2
    ws = wb.worksheets[0]
    assert ws["A1"].value == "Đợt kiểm tra: Quý IV/2026"
    assert ws["A3"].value == "Bảng xếp hạng đã công bố lần 2"
    assert [ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, HEADER_ROW + 6)] == [
        1,
        2,
        2,
        4,
        "Chưa xếp hạng",
    ]
    assert ws.cell(row=HEADER_ROW + 1, column=5).number_format == "0.00"
    assert context["response"]["Content-Disposition"] == 'attachment; filename="xep-hang-7.xlsx"'


def test_the_csv_renderer_gives_utf8_with_a_bom() -> None:
    context = _context()
    content = RankingCSVRenderer().render(_ranking(), "text/csv", context)

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Khối thi đua", "STT", "Hạng"]
    assert [row[2] for row in rows[1:6]] == ["1", "2", "2", "4", "Chưa xếp hạng"]
    assert rows[3][-2] == "Tạm tính: còn phiếu kiểm tra chưa được duyệt"
    assert context["response"]["Content-Disposition"] == 'attachment; filename="xep-hang-7.csv"'


def test_the_file_name_stays_ascii_whatever_the_round_id() -> None:
    context = _context()
    data = {"round": sample_round(id="đợt 1/2026"), "groups": []}
    RankingCSVRenderer().render(data, "text/csv", context)

    disposition = context["response"]["Content-Disposition"]
    assert disposition == 'attachment; filename="xep-hang-dot-1-2026.csv"'
    disposition.encode("ascii")


def test_a_renderer_keeps_a_file_name_the_view_chose() -> None:
    context = _context()
    context["response"]["Content-Disposition"] = 'attachment; filename="khac.xlsx"'
    RankingXLSXRenderer().render(_ranking(), XLSX, context)

    assert context["response"]["Content-Disposition"] == 'attachment; filename="khac.xlsx"'


@pytest.mark.parametrize("renderer", [RankingCSVRenderer(), RankingXLSXRenderer()])
def test_a_renderer_answers_an_error_body_as_json(renderer: Any) -> None:
    context = _context()
    content = renderer.render({"detail": "Không tìm thấy."}, renderer.media_type, context)

    assert json.loads(content) == {"detail": "Không tìm thấy."}
    assert context["response"]["Content-Type"] == "application/json"
    assert "Content-Disposition" not in context["response"]


@pytest.mark.parametrize("renderer", [RankingCSVRenderer(), RankingXLSXRenderer()])
def test_a_renderer_answers_no_body_with_no_bytes(renderer: Any) -> None:
    assert renderer.render(None, renderer.media_type, _context()) == b""


class _RankingView(APIView):
    """Stands in for the ranking endpoint: same renderers, `?format=` negotiation."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    renderer_classes = [JSONRenderer, RankingCSVRenderer, RankingXLSXRenderer]

    def get(self, request: Any) -> Response:
        if request.query_params.get("round") == "missing":
            raise NotFound()
        return Response(_ranking())


def _get(**params: str) -> Any:
    response = _RankingView.as_view()(APIRequestFactory().get("/", params))
    response.render()
    return response


def test_a_view_serves_the_xlsx_file_through_drf() -> None:
    response = _get(format="xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-7.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Khối sở, ban, ngành"


def test_a_view_serves_the_csv_file_through_drf() -> None:
    response = _get(format="csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith('"Khối sở, ban, ngành",1,1,SNV')
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_view_answers_a_missing_ranking_with_a_404_not_a_500(file_format: str) -> None:
    response = _get(format=file_format, round="missing")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)
