"""Refusals: the right status, one body shape, messages in the request's language, never a 500."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from api.throttling import AnonThrottle, UserThrottle
from inspections import services
from tests.api.conftest import body, client_for
from tests.factories import jpeg_bytes


def _file(data: bytes, name: str = "anh.jpg") -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_a_missing_field_is_named_in_vietnamese_by_default(cast: Any) -> None:
    response = client_for(cast.inspector).post("/api/v1/inspections/", {}, format="json")
    assert response.status_code == 400
    assert body(response)["code"] == "invalid"
    assert body(response)["errors"]["unit"] == ["Trường này là bắt buộc."]
    assert body(response)["detail"] == "Dữ liệu không hợp lệ."


def test_a_missing_field_is_named_in_english_when_asked(cast: Any) -> None:
    client = client_for(cast.inspector, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/api/v1/inspections/", {}, format="json")
    assert response.status_code == 400
    assert body(response)["errors"]["round"] == ["This field is required."]


def test_it_refuses_anonymous_callers_with_401(db: Any) -> None:
    response = client_for().get("/api/v1/inspections/")
    assert response.status_code == 401
    assert body(response)["code"] == "not_authenticated"
    assert body(response)["detail"] == "Chưa đăng nhập: hãy gửi kèm mã truy cập (token)."
    assert response["WWW-Authenticate"].startswith("Token")


def test_drf_own_refusals_speak_vietnamese_too(cast: Any) -> None:
    """DRF ships no Vietnamese catalogue: the product's translates the messages people meet."""
    client = client_for(cast.inspector)
    assert body(client.put("/api/v1/me/"))["detail"] == (
        "Phương thức “PUT” không được phép ở địa chỉ này."
    )
    english = client_for(cast.inspector, HTTP_ACCEPT_LANGUAGE="en")
    assert body(english.put("/api/v1/me/"))["detail"] == 'Method "PUT" not allowed.'


def test_it_refuses_a_wrong_token_with_401(db: Any) -> None:
    client = client_for(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/me/").status_code == 401


def test_bad_credentials_are_a_400_on_the_password(cast: Any) -> None:
    response = client_for().post(
        "/api/v1/auth/token/", {"username": "kiemtra1", "password": "sai"}, format="json"
    )
    assert response.status_code == 400
    assert body(response)["errors"]["password"] == ["Tên đăng nhập hoặc mật khẩu không đúng."]


def test_a_record_the_user_may_not_see_is_a_404(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection()
    response = client_for(cast.other_inspector).get(f"/api/v1/inspections/{inspection.pk}/")
    assert response.status_code == 404
    assert body(response) == {"detail": "Không tìm thấy.", "code": "not_found", "errors": {}}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/inspections/not-a-uuid/",
        "/api/v1/inspections/0b0d9c1e-5a43-4c1e-9b7e-3f1f2d4c5a60/score/",
        "/api/v1/rounds/abc/",
        "/api/v1/rounds/-1/close/",
        "/api/v1/rounds/99999999999999999999999/",
        "/api/v1/models/0/",
        "/api/v1/photos/nope/thumbnail/",
        "/api/v1/photos/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b/huge/",
    ],
)
def test_a_malformed_or_unknown_id_in_the_url_is_a_json_404(url: str, cast: Any) -> None:
    client = client_for(cast.internal_affairs)
    response = client.post(url) if url.endswith("close/") else client.get(url)
    assert response.status_code == 404
    assert body(response)["code"] == "not_found"


def test_editing_a_submitted_inspection_is_a_409(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection(state="submitted")
    response = client_for(cast.inspector).put(
        f"/api/v1/inspections/{inspection.pk}/answers/A1/", {"value": 2}, format="json"
    )
    assert response.status_code == 409
    assert body(response)["code"] == "wrong_state"


def test_malformed_json_is_a_400(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection()
    response = client_for(cast.inspector).generic(
        "PUT",
        f"/api/v1/inspections/{inspection.pk}/answers/A1/",
        b'{"value": ',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert body(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("A5", 3),  # yes/no
        ("A5", "true"),
        ("A1", True),  # level
        ("A1", 5),
        ("A1", 2.5),
        ("A1", "na"),  # N/A not allowed here
        ("D1", "abc"),  # percent
        ("D1", 12.34),
        ("D1", 101),
        ("D1", {"x": 1}),
        ("D1", [1]),
    ],
)
def test_a_value_of_the_wrong_type_for_the_criterion_is_a_400_on_value(
    code: str, value: Any, make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection()
    response = client_for(cast.inspector).put(
        f"/api/v1/inspections/{inspection.pk}/answers/{code}/", {"value": value}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(body(response)["errors"]) == ["value"]


def test_an_unknown_criterion_is_a_404(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection()
    response = client_for(cast.inspector).put(
        f"/api/v1/inspections/{inspection.pk}/answers/Z99/", {"value": 1}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 400, "empty"),
        (b"GIF89a not an image we take", 415, "unsupported"),
        (jpeg_bytes()[:200], 400, "corrupt"),
        (jpeg_bytes(size=(400, 300)), 413, "too_many_pixels"),
        (b"\xff" * 300_000, 413, "too_large"),
    ],
)
def test_uploads_are_refused_with_the_status_of_their_problem(
    data: bytes, status: int, code: str, make_inspection: Any, cast: Any, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 200_000
    settings.EVIDENCE_MAX_PIXELS = 100_000
    inspection = make_inspection()
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{inspection.pk}/photos/", {"file": _file(data)}, format="multipart"
    )
    assert response.status_code == status, response.content
    assert body(response)["code"] == code
    assert body(response)["errors"]["file"]


def test_a_second_commitment_for_the_same_year_is_a_409(org: Any, cast: Any) -> None:
    client = client_for(cast.ward_office)
    form = {"unit": org.ward.pk, "year": 2026, "signed_on": "2026-01-15"}
    first = client.post("/api/v1/commitments/", {**form, "file": _file(jpeg_bytes())})
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/commitments/", {**form, "file": _file(jpeg_bytes())})
    assert second.status_code == 409
    assert body(second)["errors"]["year"]


def test_an_approved_answer_in_revise_with_a_wrong_value_names_the_criterion(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection(state="approved")
    response = client_for(cast.internal_affairs).post(
        f"/api/v1/inspections/{inspection.pk}/revise/",
        {"reason": "Sửa", "answers": {"A1": {"note": "thiếu giá trị"}}},
        format="json",
    )
    assert response.status_code == 400
    assert "answers.A1.value" in body(response)["errors"]


def test_an_unknown_criterion_in_a_revise_body_is_a_400_naming_it(
    make_inspection: Any, cast: Any
) -> None:
    inspection = make_inspection(state="approved")
    response = client_for(cast.internal_affairs).post(
        f"/api/v1/inspections/{inspection.pk}/revise/",
        {"reason": "Sửa", "answers": {"Z99": {"value": 1}}},
        format="json",
    )
    assert response.status_code == 400
    assert list(body(response)["errors"]) == ["answers.Z99"]
    inspection.refresh_from_db()
    assert inspection.revision == 1


def test_throttling_answers_429_with_retry_after(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DRF reads classes and rates once, at import: patch where they are kept.
    monkeypatch.setattr(APIView, "throttle_classes", [AnonThrottle, UserThrottle])
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})
    anonymous = client_for()
    statuses = [
        anonymous.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
    signed_in = client_for(cast.inspector)
    responses = [signed_in.get("/api/v1/me/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    assert body(responses[-1])["code"] == "throttled"


def test_production_settings_throttle_with_rates_from_the_environment(settings: Any) -> None:
    from config import settings as production

    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "60/min",
        "user": "600/min",
    }


def test_the_docs_page_loads_its_scripts_from_our_own_files(db: Any) -> None:
    page = client_for().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style>" not in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client_for().get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    schema = client_for().get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/inspections/{id}/answers/{criterion_code}/" in body(schema)["paths"]


def test_services_refusals_keep_their_fields(make_inspection: Any, cast: Any) -> None:
    inspection = make_inspection(state="submitted")
    response = client_for(cast.internal_affairs).post(
        f"/api/v1/inspections/{inspection.pk}/return/",
        {"reason": "Thiếu ảnh", "criteria": ["A1", "Z1"]},
        format="json",
    )
    assert response.status_code == 400
    assert body(response)["errors"] == {"criteria": ["Không có tiêu chí: Z1."]}


def test_a_self_assessment_cannot_be_approved(org: Any, cast: Any, open_round: Any) -> None:
    own, _ = services.inspection_create(
        by=cast.ward_office, round=open_round, unit=org.ward, kind="self"
    )
    response = client_for(cast.internal_affairs).post(f"/api/v1/inspections/{own.pk}/approve/")
    assert response.status_code == 409


def test_a_refused_file_ranking_is_answered_in_json(cast: Any, open_round: Any) -> None:
    for fmt in ("csv", "xlsx"):
        response = client_for(cast.ward_office).get(
            f"/api/v1/rounds/{open_round.pk}/ranking/?format={fmt}"
        )
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert body(response)["code"] == "permission_denied"
