"""GET /api/v1/rounds/{id}/answers/?format=csv|xlsx and /api/v1/rounds/{id}/evidence.zip."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from inspections.models import Answer, EvidencePhoto
from tests.api.conftest import body, client_for

pytestmark = pytest.mark.django_db


def _answers(world: dict[str, Any], user: Any, query: str) -> Any:
    return client_for(user).get(f"/api/v1/rounds/{world['round']}/answers/{query}")


def test_the_answers_stream_as_csv_for_a_leader(world: dict[str, Any], cast: Any) -> None:
    response = _answers(world, cast.leader, "?format=csv")

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"ket-qua-tieu-chi-dot-{world['round']}.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][8:10] == ["Mã tiêu chí", "Kết quả"]
    assert len(rows) == 1 + Answer.objects.filter(inspection__round_id=world["round"]).count()


def test_the_answers_come_as_a_workbook_too(world: dict[str, Any], cast: Any) -> None:
    response = _answers(world, cast.internal_affairs, "?format=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None and sheet.title == "Kết quả tiêu chí"
    assert sheet.max_row == 1 + Answer.objects.filter(inspection__round_id=world["round"]).count()


@pytest.mark.parametrize("query", ["", "?format=pdf", "?format=", "?format=%00", "?format=csv,"])
def test_an_unknown_format_is_a_400_naming_the_field(
    world: dict[str, Any], cast: Any, query: str
) -> None:
    response = _answers(world, cast.leader, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "format" in body(response)["errors"] or "format" in str(body(response))


def test_the_answers_are_for_internal_affairs_and_leaders(world: dict[str, Any], cast: Any) -> None:
    for user in (cast.ward_office, cast.inspector):
        refused = _answers(world, user, "?format=csv")
        assert refused.status_code == 403 and "detail" in body(refused)
    assert client_for().get(f"/api/v1/rounds/{world['round']}/answers/?format=csv").status_code in (
        401,
        403,
    )
    assert _answers({"round": 999_999}, cast.leader, "?format=csv").status_code == 404


def test_the_evidence_archive_streams_for_a_leader(world: dict[str, Any], cast: Any) -> None:
    response = client_for(cast.leader).get(f"/api/v1/rounds/{world['round']}/evidence.zip")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    photos = EvidencePhoto.objects.filter(inspection__round_id=world["round"])
    assert len(archive.namelist()) == photos.count() + 1  # and the manifest
    assert archive.namelist()[-1] == "manifest.csv"


def test_originals_and_other_units_are_refused(world: dict[str, Any], cast: Any) -> None:
    url = f"/api/v1/rounds/{world['round']}/evidence.zip"
    assert client_for(cast.leader).get(url + "?variant=original").status_code == 403
    assert client_for(cast.internal_affairs).get(url + "?variant=original").status_code == 200
    assert client_for(cast.leader).get(url + "?variant=thumbnail").status_code == 400
    office = client_for(cast.ward_office)
    assert office.get(url).status_code == 403
    assert office.get(url + "?unit=PANLAC").status_code == 200
    assert office.get(url + "?unit=STC").status_code == 404


def test_the_schema_documents_both_endpoints(cast: Any) -> None:
    schema = body(client_for().get("/api/schema/?format=json"))

    answers = schema["paths"]["/api/v1/rounds/{id}/answers/"]["get"]
    assert {"csv", "xlsx"} <= set(
        next(p for p in answers["parameters"] if p["name"] == "format")["schema"]["enum"]
    )
    archive = schema["paths"]["/api/v1/rounds/{id}/evidence.zip"]["get"]
    assert "application/zip" in archive["responses"]["200"]["content"]
