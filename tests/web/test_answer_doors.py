"""One answer contract, every door: the same invalid answer gets the same field message
through the API, the checklist form without JavaScript and the revise form (the form with
JavaScript: tests/browser/test_answers.py)."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.answers import message_for
from inspections.models import Answer, Inspection
from inspections.services import inspection_create
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection, assign

# (criterion, what is typed or sent, the error code); in the reference model A1 is a level,
# A5 a ★ yes/no, both without N/A; D1 is a percentage that allows N/A.
INVALID = [
    ("D1", "²", "wrong_type"),
    ("D1", "①", "wrong_type"),
    ("D1", "٩٨", "wrong_type"),
    ("D1", "９８", "wrong_type"),
    ("D1", "101", "out_of_range"),
    ("D1", "abc", "wrong_type"),
    ("D1", "92,55", "too_many_decimals"),
    ("D1", "92.55", "too_many_decimals"),
    ("D1", "-1", "out_of_range"),
    ("A1", "5", "out_of_range"),
    ("A1", "-1", "out_of_range"),
    ("A1", "²", "wrong_type"),
    ("A1", "①", "wrong_type"),
    ("A1", "2,5", "wrong_type"),
    ("A1", "na", "na_not_allowed"),
    ("A5", "maybe", "wrong_type"),
    ("A5", "na", "na_not_allowed"),
]
TYPES = {"A1": "level", "A5": "yes_no", "D1": "percent"}
# The same answers as a JSON client would more likely send them: numbers as numbers.
AS_JSON = {"101": 101, "92.55": 92.55, "-1": -1, "5": 5}


def error_at(page: str, code: str) -> str:
    """The text of the error shown at a criterion (id="e-<code>"), without its icon."""
    found = re.search(rf'id="e-{code}">(.*?)</p>', page, re.S)
    assert found, f"no error shown at {code}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("⚠", "").strip()


@pytest.fixture
def doors(open_round: Any, org: Any, cast: Any) -> dict[str, Any]:
    approved = approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    assign(open_round, org.school, cast.inspector, by=cast.internal_affairs)
    draft, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.school)
    api = APIClient()
    api.force_authenticate(cast.inspector)
    web = Client()
    web.force_login(cast.inspector)
    noi_vu = sign_in(cast.internal_affairs)
    return {"approved": approved, "draft": draft, "api": api, "web": web, "noi_vu": noi_vu}


def through_api(doors: dict[str, Any], code: str, value: object) -> str:
    url = f"/api/v1/inspections/{doors['draft'].pk}/answers/{code}/"
    response = doors["api"].put(url, {"value": value}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == ["value"]
    return str(body["errors"]["value"][0])


def through_form(doors: dict[str, Any], code: str, raw: str) -> str:
    url = reverse("answer", args=[doors["draft"].pk, code])
    response = doors["web"].post(url, {"value": raw, "note": "Theo sổ"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Theo sổ" in page  # what was typed stays
    return error_at(page, code)


def through_revise(doors: dict[str, Any], code: str, raw: str) -> str:
    approved: Inspection = doors["approved"]
    url = reverse("review-revise", args=[approved.pk])
    response = doors["noi_vu"].post(url, {"reason": "Phúc tra", f"v-{code}": raw, f"n-{code}": ""})
    assert response.status_code == 400
    return error_at(response.content.decode(), code)


def test_the_same_invalid_answer_gets_the_same_field_message_through_every_door(
    doors: dict[str, Any],
) -> None:
    for code, raw, error in INVALID:
        expected = message_for(error, TYPES[code])
        said = {
            "api": through_api(doors, code, raw),
            "form": through_form(doors, code, raw),
            "revise": through_revise(doors, code, raw),
        }
        if raw in AS_JSON:
            said["api, as a JSON number"] = through_api(doors, code, AS_JSON[raw])
        assert said == dict.fromkeys(said, expected), (code, raw)
    assert not Answer.objects.filter(inspection=doors["draft"]).exists()
    approved = doors["approved"]
    approved.refresh_from_db()
    assert approved.revision == 1


def test_n_a_ticked_where_the_criterion_has_no_n_a_is_the_same_refusal_everywhere(
    doors: dict[str, Any],
) -> None:
    expected = message_for("na_not_allowed", "level")
    url = reverse("answer", args=[doors["draft"].pk, "A1"])
    form = doors["web"].post(url, {"value": "3", "na": "1"})
    revise = doors["noi_vu"].post(
        reverse("review-revise", args=[doors["approved"].pk]),
        {"reason": "Phúc tra", "v-A1": "3", "na-A1": "1", "n-A1": ""},
    )
    assert error_at(form.content.decode(), "A1") == expected
    assert error_at(revise.content.decode(), "A1") == expected
    assert through_api(doors, "A1", "na") == expected


def test_a_revision_lists_every_value_that_does_not_fit_at_its_criterion(
    doors: dict[str, Any],
) -> None:
    response = doors["noi_vu"].post(
        reverse("review-revise", args=[doors["approved"].pk]),
        {"reason": "Phúc tra", "v-A1": "5", "n-A1": "", "v-D1": "92,55", "n-D1": ""},
    )
    page = response.content.decode()
    assert error_at(page, "A1") == message_for("out_of_range", "level")
    assert error_at(page, "D1") == message_for("too_many_decimals", "percent")
    assert response.status_code == 400


def test_the_api_names_the_error_code_and_the_criterion_in_a_revision(
    doors: dict[str, Any], cast: Any
) -> None:
    api = APIClient()
    api.force_authenticate(cast.internal_affairs)
    response = api.post(
        f"/api/v1/inspections/{doors['approved'].pk}/revise/",
        {"reason": "Phúc tra", "answers": {"A1": {"value": "5"}, "D1": {"value": "92,55"}}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers.A1.value": [message_for("out_of_range", "level")],
        "answers.D1.value": [message_for("too_many_decimals", "percent")],
    }
    single = through_api(doors, "D1", "①")
    assert single == message_for("wrong_type", "percent")
    put = doors["api"].put(
        f"/api/v1/inspections/{doors['draft'].pk}/answers/D1/", {"value": "101"}, format="json"
    )
    assert put.json()["code"] == "out_of_range"


def test_the_decimal_comma_or_point_the_text_and_the_number_store_the_same_answer(
    doors: dict[str, Any],
) -> None:
    draft = doors["draft"]
    url = reverse("answer", args=[draft.pk, "D1"])
    assert doors["web"].post(url, {"value": "92,5"}).status_code == 302
    assert Answer.objects.get(inspection=draft, criterion__code="D1").number == 92.5
    for value in ("92.5", 92.5, " 92,50 "):
        response = doors["api"].put(
            f"/api/v1/inspections/{draft.pk}/answers/D1/", {"value": value}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["value"] == "92.5"
    assert (
        doors["web"].post(reverse("answer", args=[draft.pk, "A1"]), {"value": "3"}).status_code
        == 302
    )
    assert Answer.objects.get(inspection=draft, criterion__code="A1").level == 3


@pytest.mark.parametrize("typed", ["97,5", "97.5"])
def test_a_percentage_typed_either_way_shows_back_as_the_page_s_language_writes_it(
    inspection: Inspection, inspector_client: Client, typed: str
) -> None:
    url = reverse("answer", args=[inspection.pk, "D1"])
    inspector_client.post(url, {"value": typed, "note": "", "na": ""})
    assert Answer.objects.get(inspection=inspection, criterion__code="D1").value == Decimal("97.5")
    page = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    assert 'id="v-D1"' in page and 'value="97,5"' in page
    hint = re.search(r'id="b-D1">(.*?)</p>', page, re.S)
    assert hint and not re.search(r"\d\.\d", hint.group(1))  # "4,5 điểm", never "4.5"
    inspector_client.cookies["django_language"] = "en"
    english = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    assert 'value="97.5"' in english
