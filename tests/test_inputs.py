"""No input reaches the database or a parser unchecked, through either door (config/inputs.py).

The suite runs on SQLite and on PostgreSQL (.ci/run): PostgreSQL raises on a NUL in text,
SQLite on an id past 64 bits, and neither may turn into a 500.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern

from api.urls import v1
from config.inputs import has_control_characters
from inspections.models import ActionResponse, Answer, Assignment, Inspection
from inspections.numbers import ascii_int
from tests.accounts import sign_in
from tests.api import conftest as api_fixtures
from tests.api.conftest import body, client_for
from tests.factories import jpeg_bytes

world = api_fixtures.world  # the API's cast of inspections, actions and photos


def web_client(user: Any) -> Client:
    return sign_in(user)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026", 2026), ("²", None), ("①", None), ("١٢", None), ("1_0", None), (" 7", None)],
)
def test_only_ascii_digits_make_an_integer(raw: str, expected: int | None) -> None:
    assert ascii_int(raw, minimum=0) == expected


def test_an_integer_past_a_database_id_is_none() -> None:
    assert ascii_int(str(2**63 - 1)) == 2**63 - 1
    assert ascii_int(str(2**63)) is None and ascii_int("0") is None


def test_texts_keep_tabs_and_line_breaks_but_no_other_control_character() -> None:
    assert not has_control_characters("a\tb\r\nc", multiline=True)
    assert has_control_characters("a\nb")
    assert all(has_control_characters(f"a{c}b", multiline=True) for c in "\x00\x1b\x7f\x85")
    assert has_control_characters("\ud800", multiline=True)
    assert not has_control_characters("‏מ ② 😀 {{ x }} ' OR 1=1 --", multiline=True)


# The API door: one body shape, the field named.


def test_a_nul_in_an_api_path_is_a_400_on_the_path(world: dict[str, Any], cast: Any) -> None:
    url = f"/api/v1/inspections/{world['draft']}/answers/A%00/"
    response = client_for(cast.inspector).put(url, {"value": 1}, format="json")
    assert response.status_code == 400
    assert body(response)["code"] == "invalid"
    assert body(response)["errors"] == {"path": ["Không được chứa ký tự điều khiển (như NUL)."]}


def test_a_control_character_in_a_query_is_a_400_on_its_parameter(cast: Any) -> None:
    response = client_for(cast.leader).get("/api/v1/units/?q=An%00Lac")
    assert response.status_code == 400 and list(body(response)["errors"]) == ["q"]
    english = client_for(cast.leader, HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/units/?q=%1b")
    assert body(english)["errors"]["q"] == ["Must not contain control characters (such as NUL)."]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "Thiếu ảnh\x00"}, "reason"),
        ({"reason": "Thiếu ảnh", "criteria": ["A1", "B\x002"]}, "criteria.1"),
        ({"reason": "bell\x07"}, "reason"),
        ({"reason": "ok", "cri\x00teria": []}, "cri\\u0000teria"),
    ],
)
def test_a_control_character_in_a_json_body_is_a_400_and_changes_nothing(
    world: dict[str, Any], cast: Any, payload: dict[str, Any], field: str
) -> None:
    url = f"/api/v1/inspections/{world['submitted']}/return/"
    response = client_for(cast.internal_affairs).post(url, payload, format="json")
    assert response.status_code == 400
    assert list(body(response)["errors"]) == [field]
    assert Inspection.objects.get(pk=world["submitted"]).state == Inspection.State.SUBMITTED


def test_a_nul_in_a_json_key_is_a_400_before_it_reaches_postgresql(
    world: dict[str, Any], cast: Any
) -> None:
    url = f"/api/v1/inspections/{world['approved']}/revise/"
    payload = {"reason": "Sửa", "answers": {"A\x001": {"value": 1}}}
    response = client_for(cast.internal_affairs).post(url, payload, format="json")
    assert response.status_code == 400
    assert list(body(response)["errors"]) == ["answers.A\\u00001"]


def test_a_lone_surrogate_in_json_is_a_400(world: dict[str, Any], cast: Any) -> None:
    url = f"/api/v1/inspections/{world['draft']}/answers/A1/"
    raw = b'{"value": 4, "note": "\\ud800"}'
    response = client_for(cast.inspector).put(url, raw, content_type="application/json")
    assert response.status_code == 400 and list(body(response)["errors"]) == ["note"]
    assert not Answer.objects.filter(inspection_id=world["draft"]).exists()


def test_a_note_keeps_its_tabs_and_line_breaks(world: dict[str, Any], cast: Any) -> None:
    url = f"/api/v1/inspections/{world['draft']}/answers/A1/"
    note = "Dòng 1\r\nDòng 2\tcột"
    response = client_for(cast.inspector).put(url, {"value": 4, "note": note}, format="json")
    assert response.status_code == 200, response.content
    assert Answer.objects.get(inspection_id=world["draft"]).note == note


def test_a_control_character_in_a_multipart_field_is_a_400(
    world: dict[str, Any], cast: Any
) -> None:
    upload = SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client_for(cast.inspector).post(
        f"/api/v1/inspections/{world['draft']}/photos/",
        {"file": upload, "caption": "Ảnh\x00"},
        format="multipart",
    )
    assert response.status_code == 400 and list(body(response)["errors"]) == ["caption"]
    assert not Inspection.objects.get(pk=world["draft"]).photos.exists()


def test_a_query_of_more_fields_than_allowed_is_a_400(cast: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    query = "&".join(f"f{i}=1" for i in range(51))
    response = client_for(cast.leader).get(f"/api/v1/units/?{query}")
    assert (response.status_code, body(response)["code"]) == (400, "too_many_fields")


def test_a_form_of_more_fields_than_allowed_is_a_400(world: dict[str, Any], cast: Any) -> None:
    form = "&".join(f"f{i}=1" for i in range(1001))
    response = client_for(cast.internal_affairs).post(
        f"/api/v1/inspections/{world['submitted']}/return/",
        form,
        content_type="application/x-www-form-urlencoded",
    )
    assert (response.status_code, body(response)["code"]) == (400, "too_many_fields")


def test_more_files_than_allowed_is_a_400_and_nothing_is_stored(
    world: dict[str, Any], cast: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(4)]
    response = client_for(cast.ward_office).post(
        f"/api/v1/actions/{world['action']}/respond/",
        {"note": "Đã sửa", "files": files},
        format="multipart",
    )
    assert (response.status_code, body(response)["code"]) == (400, "too_many_files")
    assert not ActionResponse.objects.exists()


def _v1_urls(world: dict[str, Any]) -> list[str]:
    """Every /api/v1/ pattern with its parameters filled (an id of the world, or 1)."""
    ids = {"pk": world["draft"], "photo_id": world["photo"], "criterion_code": "A1"}
    ids["variant"] = "thumbnail"
    urls = []
    for pattern in v1:
        assert isinstance(pattern, URLPattern)
        route = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda part: str(ids.get(part[1], 1)), str(pattern.pattern)
        )
        urls.append(f"/api/v1/{route}")
    return urls


@pytest.mark.parametrize("role", [None, "inspector", "ward_office", "internal_affairs", "leader"])
def test_every_api_view_answers_options(world: dict[str, Any], cast: Any, role: str) -> None:
    client = client_for(getattr(cast, role) if role else None)
    statuses = {url: client.options(url).status_code for url in _v1_urls(world)}
    assert len(statuses) == len(v1)
    assert all(code < 500 for code in statuses.values()), statuses
    assert statuses["/api/v1/auth/token/"] == 200
    if role:
        assert set(statuses.values()) == {200}, statuses


def test_options_describes_a_view_without_looking_rows_up(world: dict[str, Any], cast: Any) -> None:
    url = f"/api/v1/inspections/{world['draft']}/answers/A1/"
    response = client_for(cast.leader).options(url)
    assert set(body(response)) == {"name", "description", "renders", "parses"}


# Pagination: validated, and documented.


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=%C2%B2", "page"),
        ("page=-1", "page"),
        ("page=99999999999999999999999", "page"),
        ("page=2", "page"),  # past the last page
        ("page_size=0", "page_size"),
        ("page_size=201", "page_size"),
        ("page_size=x", "page_size"),
    ],
)
def test_a_bad_page_or_page_size_is_a_400_on_its_name(cast: Any, query: str, field: str) -> None:
    response = client_for(cast.leader).get(f"/api/v1/units/?{query}")
    assert response.status_code == 400
    assert list(body(response)["errors"]) == [field]


def test_pages_follow_page_and_page_size(cast: Any) -> None:
    client = client_for(cast.leader)
    first = body(client.get("/api/v1/units/?page_size=4"))
    second = body(client.get("/api/v1/units/?page_size=4&page=2"))
    assert (first["count"], len(first["results"]), len(second["results"])) == (6, 4, 2)
    assert second["previous"] and second["next"] is None


def test_the_schema_documents_pagination_with_its_bounds(cast: Any) -> None:
    schema = json.loads(client_for(cast.leader).get("/api/schema/?format=json").content)
    operation = schema["paths"]["/api/v1/units/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["page"] == {"type": "integer", "minimum": 1, "maximum": 1_000_000}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "400" in operation["responses"]


# The web door: a 400 page, or the form's own error; nothing stored.


def test_a_nul_in_a_web_path_is_a_400_on_both_databases(cast: Any) -> None:
    client = web_client(cast.leader)
    assert client.get("/don-vi/%00/").status_code == 400
    assert client.get("/static/a%00b.css").status_code == 400


def test_a_nul_in_a_return_reason_is_a_400_and_the_inspection_stays_submitted(
    world: dict[str, Any], cast: Any
) -> None:
    response = web_client(cast.internal_affairs).post(
        f"/duyet/{world['submitted']}/tra-lai/", {"reason": "Thiếu\x00 ảnh"}
    )
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.content.decode()
    assert Inspection.objects.get(pk=world["submitted"]).state == Inspection.State.SUBMITTED


def test_a_nul_in_a_corrective_action_note_is_a_400_and_nothing_is_stored(
    world: dict[str, Any], cast: Any
) -> None:
    response = web_client(cast.ward_office).post(
        f"/don-vi/PANLAC/khac-phuc/{world['action']}/", {"note": "Đã dọn\x00"}
    )
    assert response.status_code == 400 and not ActionResponse.objects.exists()


@pytest.mark.parametrize("year", ["²", "①", "١٢", "99999999999999999999", "-2026"])
def test_a_year_not_in_ascii_digits_is_a_400(cast: Any, year: str) -> None:
    response = web_client(cast.leader).get("/cam-ket/", {"nam": year})
    assert response.status_code == 400


def test_an_id_past_64_bits_in_the_assignment_form_is_a_form_error(
    world: dict[str, Any], cast: Any
) -> None:
    huge = "9" * 25
    client = web_client(cast.internal_affairs)
    before = Assignment.objects.count()
    for form in (
        {"inspector": huge, "units": [str(world["ward"])]},
        {"inspector": str(cast.other_inspector.pk), "units": [huge]},
        {"inspector": str(cast.other_inspector.pk), "units": ["²"]},
    ):
        response = client.post(f"/dot/{world['round']}/phan-cong/", form)
        assert response.status_code == 400
        assert response.context["assign_form"].errors
    assert Assignment.objects.count() == before


@pytest.mark.parametrize("path", ["/dot/99999999999999999999999/", "/dot/0/"])
def test_an_id_out_of_range_in_a_web_path_is_a_404(cast: Any, path: str) -> None:
    assert web_client(cast.leader).get(path).status_code == 404


@pytest.mark.parametrize("round_id", ["²", "9" * 30, "-1"])
def test_a_self_assessment_with_a_bad_round_id_starts_nothing(cast: Any, round_id: str) -> None:
    response = web_client(cast.ward_office).post("/don-vi/PANLAC/tu-danh-gia/", {"round": round_id})
    assert response.status_code == 302
    assert not Inspection.objects.filter(kind=Inspection.Kind.SELF).exists()


def test_a_body_drf_parses_itself_is_bounded_too(
    world: dict[str, Any], cast: Any, settings: Any
) -> None:
    """A PUT is not parsed by Django's request.POST: DRF's parser meets the same limits."""
    settings.EVIDENCE_MAX_BYTES = 1024
    url = f"/api/v1/inspections/{world['draft']}/answers/A1/"
    upload = SimpleUploadedFile("anh.jpg", b"\xff" * 5000, content_type="image/jpeg")
    client = client_for(cast.inspector)
    large = client.put(url, {"value": "4", "file": upload}, format="multipart")
    assert (large.status_code, body(large)["code"]) == (413, "too_large")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    form = "&".join(f"f{i}=1" for i in range(11))
    many = client.put(url, form, content_type="application/x-www-form-urlencoded")
    assert (many.status_code, body(many)["code"]) == (400, "too_many_fields")
    assert not Answer.objects.filter(inspection_id=world["draft"]).exists()


@pytest.mark.parametrize("depth", [25, 990, 100_000])
def test_json_nested_too_deeply_is_a_400_not_a_recursion_error(cast: Any, depth: int) -> None:
    client = client_for(cast.internal_affairs)
    for raw in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = client.post("/api/v1/rounds/", raw, content_type="application/json")
        assert (response.status_code, body(response)["code"]) == (400, "parse_error")
    shallow = client.post("/api/v1/rounds/", {"name": [[["x"]]]}, format="json")
    assert shallow.status_code == 400 and "name" in body(shallow)["errors"]


def test_a_form_that_cannot_be_read_is_a_400_on_both_doors(
    world: dict[str, Any], cast: Any
) -> None:
    api = client_for(cast.ward_office).post(
        "/api/v1/commitments/", b"--x\r\nnonsense", content_type="multipart/form-data; boundary="
    )
    assert (api.status_code, body(api)["code"]) == (400, "malformed")
    web = web_client(cast.internal_affairs).post(
        f"/duyet/{world['submitted']}/tra-lai/",
        "reason=x",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert web.status_code == 400
    assert Inspection.objects.get(pk=world["submitted"]).state == Inspection.State.SUBMITTED


def test_an_id_past_64_bits_in_the_invitation_sheets_is_dropped(cast: Any) -> None:
    response = web_client(cast.internal_affairs).post(
        "/nguoi-dung/phieu-moi/", {"person": ["9" * 30, str(2**63), "²"]}
    )
    assert response.status_code == 302  # "choose at least one person", back to the list


@pytest.mark.parametrize("unit", ["٣", "²", "3.0", str(2**63), 2**63, -1, 0, True])
def test_an_id_in_a_body_is_ascii_digits_within_range(
    world: dict[str, Any], cast: Any, unit: object
) -> None:
    payload = {"unit": unit, "round": world["round"], "kind": "official"}
    response = client_for(cast.inspector).post("/api/v1/inspections/", payload, format="json")
    assert response.status_code == 400 and list(body(response)["errors"]) == ["unit"]


def test_a_bad_filter_on_the_people_page_comes_back_escaped(cast: Any) -> None:
    markup = "<script>alert(1)</script>"
    response = web_client(cast.internal_affairs).get("/nguoi-dung/", {"role": markup})
    assert response.status_code == 400
    assert markup not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize("target", ["²", "abc", "-1"])
def test_a_next_that_is_no_url_goes_back_to_the_inbox(cast: Any, target: str) -> None:
    response = web_client(cast.inspector).post("/thong-bao/doc-het/", {"next": target})
    assert response.status_code == 302
