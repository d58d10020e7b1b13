"""The API's doors onto closing, publishing and history obey the rules the pages obey."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from inspections.models import Inspection, RankingSnapshot, Round
from inspections.services import inspection_create, round_close
from tests.inspections.builders import approved_inspection, assign, submitted_inspection
from tests.inspections.test_history import revised_inspection


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def busy_round(open_round: Round, org: Any, cast: Any) -> Round:
    ia = cast.internal_affairs
    approved_inspection(open_round, org.ward, cast.inspector, internal_affairs=ia)
    submitted_inspection(open_round, org.school, cast.inspector, internal_affairs=ia)
    assign(open_round, org.thi_dua, cast.other_inspector, by=ia)
    inspection_create(by=cast.other_inspector, round=open_round, unit=org.thi_dua)
    return open_round


def test_the_pending_work_is_listed_for_internal_affairs_and_leaders(
    busy_round: Round, org: Any, cast: Any
) -> None:
    url = f"/api/v1/rounds/{busy_round.pk}/pending/"
    body = api(cast.internal_affairs).get(url).json()
    assert body["counts"] == {"submitted": 1, "returned": 0, "draft": 1, "not_started": 0}
    assert body["early"] is True and body["unreviewed"] == 1
    school = Inspection.objects.get(unit=org.school)
    assert {"state": "submitted", "unit": org.school.code, "inspection": str(school.pk)} in [
        {"state": r["state"], "unit": r["unit"]["code"], "inspection": r["inspection"]}
        for r in body["rows"]
    ]
    assert api(cast.leader).get(url).status_code == 200
    assert api(cast.inspector).get(url).status_code == 403


def test_closing_over_the_api_needs_the_confirmation_when_work_is_open(
    busy_round: Round, cast: Any
) -> None:
    url = f"/api/v1/rounds/{busy_round.pk}/close/"
    refused = api(cast.internal_affairs).post(url, {}, format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "confirmation_required"
    assert "1 phiếu đã nộp chưa duyệt" in " ".join(body["errors"]["confirm"])
    busy_round.refresh_from_db()
    assert busy_round.status == Round.Status.OPEN
    done = api(cast.internal_affairs).post(url, {"confirm": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"


def test_publishing_over_the_api_needs_a_reason_for_unreviewed_inspections(
    busy_round: Round, cast: Any
) -> None:
    round_close(round=busy_round, by=cast.internal_affairs, confirmed=True)
    url = f"/api/v1/rounds/{busy_round.pk}/publish/"
    refused = api(cast.internal_affairs).post(url, {"confirm": True}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"reason"}
    refused = api(cast.internal_affairs).post(url, {"reason": "Đúng hạn"}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"confirm"}
    assert not RankingSnapshot.objects.exists()
    done = api(cast.internal_affairs).post(
        url, {"reason": "Đúng hạn", "confirm": True}, format="json"
    )
    assert done.status_code == 200 and done.json()["snapshot"]["reason"] == "Đúng hạn"


@pytest.fixture
def revised(open_round: Round, org: Any, cast: Any) -> Inspection:
    return revised_inspection(open_round, org.ward, cast)


def test_the_timeline_and_the_diff_are_read_by_internal_affairs_and_the_inspector(
    revised: Inspection, cast: Any
) -> None:
    for user in (cast.internal_affairs, cast.inspector):
        timeline = api(user).get(f"/api/v1/inspections/{revised.pk}/timeline/").json()
        returned = next(e for e in timeline if e["action"] == "inspection_returned")
        assert returned["reason"] == "Ảnh A1 mờ" and returned["criteria"] == ["A1"]
        diff = api(user).get(f"/api/v1/inspections/{revised.pk}/diff/?from=1&to=2").json()
        assert [c["code"] for c in diff["changes"]] == ["A1"]
        assert diff["reasons"] == [{"revision": 2, "reason": "Chấm lại A1 theo hồ sơ"}]
        assert diff["old_score"] != diff["new_score"]
    office = api(cast.ward_office)
    assert office.get(f"/api/v1/inspections/{revised.pk}/timeline/").status_code == 403
    stranger = api(cast.department_office)
    assert stranger.get(f"/api/v1/inspections/{revised.pk}/diff/").status_code == 404


@pytest.mark.parametrize("query", ["from=0", "to=3", "from=2&to=1", "to=²", "from=abc"])
def test_a_diff_of_revisions_that_do_not_exist_is_a_400_naming_the_field(
    revised: Inspection, cast: Any, query: str
) -> None:
    response = api(cast.internal_affairs).get(f"/api/v1/inspections/{revised.pk}/diff/?{query}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"from", "to"} and response.json()["errors"]
