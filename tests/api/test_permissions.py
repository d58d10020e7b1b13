"""Every endpoint × every role, own unit and other unit: what is allowed and what is refused.

The world: Sở Nội vụ's inspector made an approved inspection of Phường An Lạc (with a photo
and a corrective action) and a draft of its school; the second inspector (Sở Tài chính)
submitted another of the ward; the ward's office runs a self-assessment of its school and
signed its commitment. "ward" is the office of the own unit, "dept" an office elsewhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest

from inspections import services
from inspections.models import Inspection
from tests.api.conftest import client_for
from tests.factories import jpeg_bytes

ROLES = {
    "insp": "inspector",
    "other": "other_inspector",
    "ward": "ward_office",
    "dept": "department_office",
    "ia": "internal_affairs",
    "lead": "leader",
    "anon": None,
}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str
    expect: dict[str, int]
    data: Any = None
    multipart: bool = False
    upload_field: str = "file"


def case(name: str, method: str, url: str, expect: str, data: Any = None, **kw: Any) -> Case:
    statuses = dict(item.split("=") for item in expect.split())
    statuses.setdefault("anon", "401")
    assert set(statuses) == set(ROLES), name
    return Case(name, method, url, {k: int(v) for k, v in statuses.items()}, data, **kw)


EVERYONE = "insp=200 other=200 ward=200 dept=200 ia=200 lead=200"

CASES = [
    case("me", "get", "/api/v1/me/", EVERYONE),
    case("units", "get", "/api/v1/units/", EVERYONE),
    case("groups", "get", "/api/v1/groups/", EVERYONE),
    case("models", "get", "/api/v1/models/", EVERYONE),
    case("model", "get", "/api/v1/models/{version}/", EVERYONE),
    case(
        "dashboard",
        "get",
        "/api/v1/dashboard/",
        "insp=403 other=403 ward=403 dept=403 ia=200 lead=200",
    ),
    case("rounds", "get", "/api/v1/rounds/", EVERYONE),
    case("round", "get", "/api/v1/rounds/{round}/", EVERYONE),
    case(
        "live ranking",
        "get",
        "/api/v1/rounds/{round}/ranking/",
        "insp=403 other=403 ward=403 dept=403 ia=200 lead=200",
    ),
    case(
        "create round",
        "post",
        "/api/v1/rounds/",
        "insp=403 other=403 ward=403 dept=403 ia=201 lead=403",
        {
            "name": "Đợt thử",
            "version": "{version}",
            "starts_on": "2027-01-01",
            "ends_on": "2027-02-01",
        },
    ),
    case(
        "open round",
        "post",
        "/api/v1/rounds/{draft_round}/open/",
        "insp=403 other=403 ward=403 dept=403 ia=200 lead=403",
    ),
    case(
        "close round",
        "post",
        "/api/v1/rounds/{round}/close/",
        "insp=403 other=403 ward=403 dept=403 ia=200 lead=403",
        {"confirm": True},
    ),
    case(
        "publish an open round",
        "post",
        "/api/v1/rounds/{round}/publish/",
        "insp=403 other=403 ward=403 dept=403 ia=409 lead=403",
    ),
    case(
        "assign",
        "post",
        "/api/v1/assignments/",
        "insp=403 other=403 ward=403 dept=403 ia=201 lead=403",
        {"round": "{round}", "inspector": "{other_inspector}", "units": ["{school}"]},
    ),
    case(
        "inspection approved, own unit",
        "get",
        "/api/v1/inspections/{approved}/",
        "insp=200 other=404 ward=200 dept=404 ia=200 lead=200",
    ),
    case(
        "score approved, own unit",
        "get",
        "/api/v1/inspections/{approved}/score/",
        "insp=200 other=404 ward=200 dept=404 ia=200 lead=200",
    ),
    case(
        "inspection draft, own unit",
        "get",
        "/api/v1/inspections/{draft}/",
        "insp=200 other=404 ward=404 dept=404 ia=200 lead=200",
    ),
    case(
        "inspection submitted by the other inspector",
        "get",
        "/api/v1/inspections/{submitted}/",
        "insp=404 other=200 ward=404 dept=404 ia=200 lead=200",
    ),
    case(
        "self-assessment",
        "get",
        "/api/v1/inspections/{self}/",
        "insp=404 other=404 ward=200 dept=404 ia=200 lead=200",
    ),
    case(
        "start an assigned inspection",
        "post",
        "/api/v1/inspections/",
        "insp=201 other=403 ward=403 dept=403 ia=403 lead=403",
        {"unit": "{tai_chinh}", "round": "{round}"},
    ),
    case(
        "start a self-assessment of the own unit",
        "post",
        "/api/v1/inspections/",
        "insp=403 other=403 ward=201 dept=403 ia=403 lead=403",
        {"unit": "{ward}", "round": "{round}", "kind": "self"},
    ),
    case(
        "answer a draft",
        "put",
        "/api/v1/inspections/{draft}/answers/A1/",
        "insp=200 other=404 ward=404 dept=404 ia=403 lead=403",
        {"value": 3},
    ),
    case(
        "answer an approved inspection",
        "put",
        "/api/v1/inspections/{approved}/answers/A1/",
        "insp=409 other=404 ward=403 dept=404 ia=403 lead=403",
        {"value": 3},
    ),
    case(
        "upload a photo to a draft",
        "post",
        "/api/v1/inspections/{draft}/photos/",
        "insp=201 other=404 ward=404 dept=404 ia=403 lead=403",
        {"criterion": "A1"},
        multipart=True,
    ),
    case(
        "remove a photo of an approved inspection",
        "delete",
        "/api/v1/inspections/{approved}/photos/{photo}/",
        "insp=409 other=404 ward=403 dept=404 ia=403 lead=403",
    ),
    case(
        "submit an incomplete draft",
        "post",
        "/api/v1/inspections/{draft}/submit/",
        "insp=400 other=404 ward=404 dept=404 ia=403 lead=403",
    ),
    case(
        "approve",
        "post",
        "/api/v1/inspections/{submitted}/approve/",
        "insp=404 other=403 ward=404 dept=404 ia=200 lead=403",
    ),
    case(
        "return",
        "post",
        "/api/v1/inspections/{submitted}/return/",
        "insp=404 other=403 ward=404 dept=404 ia=200 lead=403",
        {"reason": "Thiếu ảnh", "criteria": ["A1"]},
    ),
    case(
        "revise",
        "post",
        "/api/v1/inspections/{approved}/revise/",
        "insp=403 other=404 ward=403 dept=404 ia=200 lead=403",
        {"reason": "Chấm lại", "answers": {"A1": {"value": 3}}},
    ),
    case(
        "photo thumbnail",
        "get",
        "/api/v1/photos/{photo}/thumbnail/",
        "insp=200 other=404 ward=200 dept=404 ia=200 lead=200",
    ),
    case(
        "photo original",
        "get",
        "/api/v1/photos/{photo}/original/",
        "insp=200 other=404 ward=403 dept=404 ia=200 lead=403",
    ),
    case(
        "respond to an action",
        "post",
        "/api/v1/actions/{action}/respond/",
        "insp=403 other=404 ward=200 dept=404 ia=403 lead=403",
        {"note": "Đã sắp xếp lại"},
        multipart=True,
        upload_field="files",  # A1 needs a photo of the fix
    ),
    case(
        "verify an action not yet answered",
        "post",
        "/api/v1/actions/{action}/verify/",
        "insp=409 other=404 ward=403 dept=404 ia=409 lead=403",
        {},
    ),
    case(
        "reopen an action not yet answered",
        "post",
        "/api/v1/actions/{action}/reopen/",
        "insp=409 other=404 ward=403 dept=404 ia=409 lead=403",
        {"note": "Chưa đạt"},
    ),
    case(
        "record a commitment of the own unit",
        "post",
        "/api/v1/commitments/",
        "insp=403 other=403 ward=201 dept=403 ia=201 lead=403",
        {"unit": "{ward}", "year": 2027},
        multipart=True,
    ),
]


def _fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_role_is_allowed_or_refused_as_the_brief_says(
    case: Case, role: str, world: dict[str, Any], cast: Any
) -> None:
    user = getattr(cast, ROLES[role]) if ROLES[role] else None
    client = client_for(user)
    url = case.url.format(**world)
    data = _fill(case.data, world)
    if case.multipart:
        upload = io.BytesIO(jpeg_bytes())
        upload.name = "anh.jpg"
        body = {**data, case.upload_field: upload}
        response = getattr(client, case.method)(url, body, format="multipart")
    else:
        response = getattr(client, case.method)(url, data, format="json")
    assert response.status_code == case.expect[role], response.content[:300]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("insp", 2), ("other", 1), ("ward", 2), ("dept", 0), ("ia", 4), ("lead", 4)],
)
def test_inspection_lists_show_only_what_each_role_may_see(
    role: str, expected: int, world: dict[str, Any], cast: Any
) -> None:
    client = client_for(getattr(cast, ROLES[role]))
    assert client.get("/api/v1/inspections/").json()["count"] == expected


@pytest.mark.parametrize(
    ("url", "counts"),
    [
        ("/api/v1/assignments/", {"insp": 3, "other": 1, "ward": 0, "dept": 0, "ia": 4, "lead": 4}),
        ("/api/v1/actions/", {"insp": 1, "other": 0, "ward": 1, "dept": 0, "ia": 1, "lead": 1}),
        ("/api/v1/commitments/", {"insp": 0, "other": 0, "ward": 1, "dept": 0, "ia": 1, "lead": 1}),
    ],
)
def test_other_lists_show_only_what_each_role_may_see(
    url: str, counts: dict[str, int], world: dict[str, Any], cast: Any
) -> None:
    for role, expected in counts.items():
        response = client_for(getattr(cast, ROLES[role])).get(url)
        assert response.json()["count"] == expected, role
    assert client_for().get(url).status_code == 401


def test_an_office_sees_its_units_official_inspection_only_once_approved(
    world: dict[str, Any], cast: Any
) -> None:
    office = client_for(cast.ward_office)
    assert office.get(f"/api/v1/inspections/{world['submitted']}/").status_code == 404
    Inspection.objects.filter(pk=world["submitted"]).update(state=Inspection.State.APPROVED)
    assert office.get(f"/api/v1/inspections/{world['submitted']}/").status_code == 200


def test_the_ranking_is_open_to_everyone_once_published(
    world: dict[str, Any], cast: Any, open_round: Any
) -> None:
    services.round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    services.round_publish(
        round=open_round, by=cast.internal_affairs, reason="Một phiếu chưa duyệt.", confirmed=True
    )
    for role in ("insp", "ward", "dept"):
        client = client_for(getattr(cast, ROLES[role]))
        assert client.get(f"/api/v1/rounds/{world['round']}/ranking/").status_code == 200
