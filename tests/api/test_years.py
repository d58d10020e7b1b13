"""GET /api/v1/years/{year}/results/ and /proposals/: who reads what, filters, bad years."""

from __future__ import annotations

import pytest

from inspections.services import proposal_decide, year_publish
from tests.api.conftest import body, client_for
from tests.inspections.year_builders import year_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(version, org):
    return year_2026(version, org)


def test_internal_affairs_reads_the_live_ranking_per_group(rounds, cast, org):
    response = client_for(cast.internal_affairs).get("/api/v1/years/2026/results/")
    assert response.status_code == 200
    data = body(response)
    assert (data["year"], data["published"], data["policy"]["status"]) == (2026, False, "draft")
    assert [r["name"] for r in data["rounds"]] == ["Quý 1/2026", "Quý 2/2026", "Quý 3/2026"]
    wards = next(g for g in data["groups"] if g["group_code"] == "phuong-xa")
    first = wards["rows"][0]
    assert (first["unit_code"], first["rank"], first["score"], first["movement"]) == (
        "PANLAC",
        1,
        "92.00",
        None,
    )
    assert first["round_scores"] == ["91.00", "93.00", "92.00"]


def test_a_group_filter_and_a_bad_one(rounds, cast, org):
    client = client_for(cast.leader)
    data = body(client.get(f"/api/v1/years/2026/results/?group={org.wards.pk}"))
    assert [g["group_code"] for g in data["groups"]] == ["phuong-xa"]
    response = client.get("/api/v1/years/2026/results/?group=abc")
    assert response.status_code == 400
    assert "group" in body(response)["errors"]


@pytest.mark.parametrize(
    "year", ["1999", "2101", "abc", "２０２６", "99999999999999999999999", "-1"]
)
def test_a_bad_year_is_a_json_404(rounds, cast, year):
    for path in ("results", "proposals"):
        response = client_for(cast.internal_affairs).get(f"/api/v1/years/{year}/{path}/")
        assert response.status_code == 404, (year, path)
        assert response["Content-Type"].startswith("application/json")
        assert body(response)["detail"]


def test_offices_read_the_year_only_once_published(rounds, cast):
    office = client_for(cast.ward_office)
    assert office.get("/api/v1/years/2026/results/").status_code == 403
    assert office.get("/api/v1/years/2026/proposals/").status_code == 403
    year_publish(by=cast.internal_affairs, year=2026, confirmed=True)
    response = office.get("/api/v1/years/2026/results/")
    assert response.status_code == 200 and body(response)["published"] is True
    assert office.get("/api/v1/years/2026/proposals/").status_code == 403
    assert client_for().get("/api/v1/years/2026/results/").status_code == 401


def test_proposals_list_both_sides_with_reasons(rounds, cast, org):
    proposal_decide(
        by=cast.internal_affairs, year=2026, unit=org.ward, proposed=True, reason="Điển hình"
    )
    data = body(client_for(cast.leader).get("/api/v1/years/2026/proposals/"))
    assert data["criteria"][0] == "Xếp loại năm: Xuất sắc"
    proposed = {row["unit_code"]: row for row in data["proposed"]}
    assert set(proposed) == {"PANLAC"}
    assert proposed["PANLAC"]["decision"] is True
    assert proposed["PANLAC"]["decision_reason"] == "Điển hình"
    assert proposed["PANLAC"]["by_criteria"] is False
    others = {row["unit_code"]: row for row in data["not_proposed"]}
    assert others["SNV"]["shortfalls"] == ["commitment"]
    assert all(row["reasons"] for row in data["not_proposed"])


def test_the_api_writes_nothing_here(rounds, cast):
    client = client_for(cast.internal_affairs)
    assert client.post("/api/v1/years/2026/results/", {}).status_code == 405
    assert client.delete("/api/v1/years/2026/proposals/").status_code == 405


def test_the_queries_do_not_grow_with_the_units(rounds, cast, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrgUnitFactory
    from tests.inspections.year_builders import result

    def count(path: str) -> int:
        client = client_for(cast.leader)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = ("/api/v1/years/2026/results/", "/api/v1/years/2026/proposals/")
    [count(p) for p in paths]  # a first request fills per-process caches
    before = [count(p) for p in paths]
    for n in range(30):
        unit = OrgUnitFactory(code=f"P{n}", name=f"Phường {n}", parent=org.city, group=org.wards)
        for round_ in rounds:
            result(round_, unit, str(60 + n))
        proposal_decide(
            by=cast.internal_affairs, year=2026, unit=unit, proposed=n % 2 == 0, reason="Lý do"
        )
    assert [count(p) for p in paths] == before
    assert max(before) <= 12
