"""One inspection from token to published ranking, over HTTP only."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from rest_framework.test import APIClient

from inspections import policies
from inspections.models import Criterion, EvidenceKind
from tests.accounts import code_for, totp_device
from tests.api.conftest import body
from tests.factories import jpeg_bytes

PASSWORD = "matkhau-thu-nghiem"


def signed_in(username: str) -> APIClient:
    """A token the way a client gets one: with the two-factor code where the account needs it."""
    user = get_user_model().objects.get(username=username)
    credentials = {"username": username, "password": PASSWORD}
    if policies.needs_verification(user):
        credentials["otp"] = code_for(totp_device(user))
    response = APIClient().post("/api/v1/auth/token/", credentials, format="json")
    assert response.status_code == 200, response.content
    return APIClient(HTTP_AUTHORIZATION=f"Token {body(response)['token']}")


def test_an_inspection_goes_from_token_to_published_ranking_over_http(
    org: Any, cast: Any, open_round: Any
) -> None:
    noivu, inspector, office = signed_in("noivu"), signed_in("kiemtra1"), signed_in("panlac")
    assigned = noivu.post(
        "/api/v1/assignments/",
        {"round": open_round.pk, "inspector": cast.inspector.pk, "units": [org.ward.pk]},
        format="json",
    )
    assert assigned.status_code == 201, assigned.content
    assert [a["unit"]["code"] for a in body(assigned)] == ["PANLAC"]
    assert body(inspector.get("/api/v1/assignments/"))["count"] == 1

    # Created once; a retry with the same id is the same inspection. The same id with other
    # values is first asked for the permission a first write needs (not assigned to the
    # school: a 403); the 409 for other values is in test_idempotency.py.
    new = {"id": str(uuid.uuid4()), "unit": org.ward.pk, "round": open_round.pk}
    created = inspector.post("/api/v1/inspections/", new, format="json")
    assert created.status_code == 201, created.content
    again = inspector.post("/api/v1/inspections/", new, format="json")
    assert again.status_code == 200
    assert body(again) == body(created)
    unassigned = {**new, "unit": org.school.pk}
    assert inspector.post("/api/v1/inspections/", unassigned, format="json").status_code == 403
    url = f"/api/v1/inspections/{new['id']}/"

    criteria = list(Criterion.objects.filter(version=open_round.version))
    assert len(criteria) == 32
    for criterion in criteria:
        value = {"yes_no": True, "level": 4, "percent": 98.5}[criterion.answer_type]
        flagged = criterion.code == "A2"
        put = inspector.put(
            f"{url}answers/{criterion.code}/",
            {"value": value, "note": "Kiểm tra tại chỗ", "flagged": flagged},
            format="json",
        )
        assert put.status_code == 200, (criterion.code, put.content)

    refused = inspector.post(f"{url}submit/")
    assert refused.status_code == 400
    needing = {c.code for c in criteria if c.evidence != EvidenceKind.NONE}
    assert set(body(refused)["errors"]) == needing
    assert body(refused)["errors"]["A1"] == ["Cần ít nhất một ảnh minh chứng."]

    for i, code in enumerate(sorted(needing)):
        upload = io.BytesIO(jpeg_bytes(colour=(i, 120, 80)))
        upload.name = f"{code}.jpg"
        photo = inspector.post(
            f"{url}photos/",
            {"file": upload, "criterion": code, "caption": code},
            format="multipart",
        )
        assert photo.status_code == 201, (code, photo.content)
    detail = body(inspector.get(url))
    assert len(detail["photos"]) == len(needing)
    assert detail["photos"][0]["urls"]["original"]
    image = inspector.get(detail["photos"][0]["urls"]["thumbnail"])
    assert image.status_code == 200
    assert image["Cache-Control"].startswith("private")
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")

    assert inspector.post(f"{url}submit/").status_code == 200
    returned = noivu.post(
        f"{url}return/", {"reason": "Ảnh A1 mờ", "criteria": ["A1"]}, format="json"
    )
    assert returned.status_code == 200, returned.content
    assert body(returned)["state"] == "returned"
    assert body(returned)["returned_criteria"] == ["A1"]
    fixed = inspector.put(f"{url}answers/A1/", {"value": 3}, format="json")
    assert fixed.status_code == 200
    assert inspector.post(f"{url}submit/").status_code == 200
    approved = noivu.post(f"{url}approve/")
    assert approved.status_code == 200, approved.content
    assert body(approved)["state"] == "approved"

    score = body(office.get(f"{url}score/"))
    assert score["total"] == body(approved)["score"]
    assert score["classification"] == "xuat_sac"
    assert score["critical_failures"] == []
    assert len(score["criteria"]) == 32
    assert [s["section"] for s in score["sections"]] == ["A", "B", "C", "D"]

    # The flagged answer opened an action; the unit responds with a photo, the inspector verifies.
    actions = body(office.get("/api/v1/actions/"))["results"]
    assert [a["criterion"] for a in actions] == ["A2"]
    url_respond = f"/api/v1/actions/{actions[0]['id']}/respond/"
    bare = office.post(url_respond, {"note": "Đã sắp xếp lại"}, format="json")
    assert bare.status_code == 400  # A2 needs a photo of the fix: the API obeys the same rule
    assert "files" in body(bare)["errors"]
    fix = io.BytesIO(jpeg_bytes(colour=(200, 10, 10)))
    fix.name = "fix.jpg"
    responded = office.post(
        f"/api/v1/actions/{actions[0]['id']}/respond/",
        {"note": "Đã sắp xếp lại", "files": [fix]},
        format="multipart",
    )
    assert responded.status_code == 200, responded.content
    assert len(body(responded)["responses"][0]["photos"]) == 1
    verified = inspector.post(f"/api/v1/actions/{actions[0]['id']}/verify/", {}, format="json")
    assert body(verified)["status"] == "verified"

    round_url = f"/api/v1/rounds/{open_round.pk}/"
    refused = noivu.post(f"{round_url}close/", {}, format="json")  # before its end date
    assert body(refused)["code"] == "confirmation_required"
    closed = noivu.post(f"{round_url}close/", {"confirm": True}, format="json")
    assert body(closed)["status"] == "closed"
    published = noivu.post(f"{round_url}publish/", {"confirm": True}, format="json")
    assert published.status_code == 200, published.content
    assert body(published)["snapshot"]["number"] == 1

    ranking = body(office.get(f"{round_url}ranking/?group={org.wards.pk}"))
    rows = ranking["groups"][0]["rows"]
    assert rows[0]["unit_code"] == "PANLAC"
    assert rows[0]["rank"] == 1
    assert rows[0]["score"] == score["total"]

    as_csv = office.get(f"{round_url}ranking/?format=csv")
    assert as_csv.status_code == 200
    text = as_csv.getvalue().decode("utf-8-sig")
    assert any(row[3:4] == ["PANLAC"] or "PANLAC" in row for row in csv.reader(io.StringIO(text)))
    as_xlsx = office.get(f"{round_url}ranking/?format=xlsx")
    assert as_xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(as_xlsx.getvalue()))
    cells = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "PANLAC" in cells
