"""GET /api/v1/dashboard/: the page's figures as JSON, refused with a field for a bad filter."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import client_for
from tests.inspections.builders import approved_inspection


def test_it_gives_the_dashboards_figures_for_a_round_and_a_group(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1, "A5": False},
    )
    client = client_for(cast.leader)
    body = client.get("/api/v1/dashboard/", {"round": open_round.pk, "group": org.wards.pk}).json()
    assert body["year"] == 2026 and body["round"]["name"] == "Quý IV/2026"
    assert [g["code"] for g in body["groups"]] == ["phuong-xa"]
    (classes,) = body["classes"]
    assert classes["units"] == 1
    assert sum(c["units"] for c in classes["classes"]) == 1
    (trend,) = body["trends"]
    assert trend["points"] == [
        {"round_id": open_round.pk, "mean": f"{approved.score:.2f}", "units": 1}
    ]
    a1 = next(row for row in body["heat"] if row["code"] == "A1")
    assert a1["cells"] == [
        {"group_id": org.wards.pk, "failing": 1, "assessed": 1, "share": "100.0"}
    ]
    a5 = next(row for row in body["critical"] if row["code"] == "A5")
    assert a5["units"] == 1 and a5["by_group"] == {str(org.wards.pk): 1}
    assert body["critical_units"] == 1
    (progress,) = body["progress"]
    assert (progress["assigned"], progress["approved"], progress["not_started"]) == (1, 1, 0)
    assert body["coverage"][0]["units"] == 2  # the ward and its school


def test_a_bad_filter_names_its_field(open_round: Any, cast: Any) -> None:
    client = client_for(cast.internal_affairs)
    for query, field in (
        ({"year": "20x6"}, "year"),
        ({"year": "1999"}, "year"),
        ({"round": "0"}, "round"),
        ({"round": "123456"}, "round"),
        ({"group": "١"}, "group"),
        ({"year": "2025", "round": str(open_round.pk)}, "round"),
    ):
        response = client.get("/api/v1/dashboard/", query)
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid_filter"
        assert list(response.json()["errors"]) == [field], query


def test_offices_and_inspectors_are_refused(cast: Any) -> None:
    assert client_for(cast.ward_office).get("/api/v1/dashboard/").status_code == 403
    assert client_for(cast.inspector).get("/api/v1/dashboard/").status_code == 403
    assert client_for(cast.leader).get("/api/v1/dashboard/").status_code == 200
