"""One source of truth for scores: the services store, through scoring.py, the points of
every criterion, section and inspection with each answer; the pages, the score endpoint
and the migration that filled the stored criterion scores read or make exactly those."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import Inspection
from inspections.scoring import LEVELS
from inspections.services import inspection_create
from tests.inspections.builders import approved_inspection, assign

pytestmark = pytest.mark.django_db

D = Decimal


def score_endpoint(inspection: Inspection, user: Any) -> Any:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/inspections/{inspection.pk}/score/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def approved(open_round: Any, org: Any, cast: Any) -> Inspection:
    # A1 at level 1 (0.75 of 3), A5 ★ failed, A7 N/A, D1 at 98 % (4.5 of 6).
    return approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1, "A5": False, "A7": ("na", "Không có kho."), "D1": "98"},
    )


def test_each_answer_stores_every_criterions_points_and_star_failure(approved: Inspection) -> None:
    stored = {c["code"]: c for c in approved.criterion_scores}
    assert len(stored) == 32

    def points(code: str) -> tuple[Decimal | None, Decimal | None, bool]:
        row = stored[code]
        earned, possible = (
            D(v) if v is not None else None for v in (row["earned"], row["possible"])
        )
        return earned, possible, row["critical_failed"]

    assert points("A1") == (D("0.75"), D(3), False)
    assert points("A5") == (D(0), D(3), True)
    assert points("A7") == (None, None, False)
    assert points("D1") == (D("4.5"), D(6), False)
    assert approved.critical_failures == ["A5"]
    points = dict(approved.answers.values_list("criterion__code", "points"))
    assert all((points[code] is None) == (row["earned"] is None) for code, row in stored.items())
    assert all(
        points[code] is None or points[code] == D(row["earned"]) for code, row in stored.items()
    )


def test_the_score_endpoint_shows_the_stored_scores_and_recomputes_nothing(
    approved: Inspection, cast: Any
) -> None:
    before = score_endpoint(approved, cast.internal_affairs)
    assert before["critical_failures"] == ["A5"]
    assert [s["section"] for s in before["sections"]] == ["A", "B", "C", "D"]
    # Stored values changed behind the services' back show as they are: nothing recomputed.
    sections = [
        {**s, "score": "12.34"} if s["section"] == "A" else s for s in approved.section_scores
    ]
    criteria = [
        {**c, "earned": "2", "critical_failed": False} if c["code"] == "A5" else c
        for c in approved.criterion_scores
    ]
    Inspection.objects.filter(pk=approved.pk).update(
        section_scores=sections, criterion_scores=criteria
    )
    after = score_endpoint(approved, cast.internal_affairs)
    assert after["sections"][0]["score"] == "12.34"
    a5 = next(c for c in after["criteria"] if c["code"] == "A5")
    assert (a5["earned"], a5["critical_failed"]) == ("2.0000", False)
    assert after["total"] == before["total"]


def test_a_new_inspection_has_its_empty_scores_stored_for_every_criterion(
    open_round: Any, org: Any, cast: Any
) -> None:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    body = score_endpoint(inspection, cast.inspector)
    assert body["total"] is None
    assert len(body["criteria"]) == 32
    assert all(c["earned"] is None and c["possible"] is None for c in body["criteria"])
    assert [s["score"] for s in body["sections"]] == [None, None, None, None]


def test_the_result_page_shows_the_stored_star_failures_and_points(
    approved: Inspection, cast: Any
) -> None:
    client = Client()
    client.force_login(cast.inspector)
    page = client.get(reverse("result", args=[approved.pk])).content.decode()
    assert "Không đạt tiêu chí ★: A5" in page
    assert "0.75/3" in page or "0,75/3" in page
    # The page never decides a ★ failure itself: it shows what the service stored.
    criteria = [{**c, "critical_failed": c["code"] == "C1"} for c in approved.criterion_scores]
    Inspection.objects.filter(pk=approved.pk).update(criterion_scores=criteria)
    page = client.get(reverse("result", args=[approved.pk])).content.decode()
    assert "Không đạt tiêu chí ★: C1" in page


def test_the_checklist_offers_the_levels_of_the_scoring_module(
    open_round: Any, org: Any, cast: Any
) -> None:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    client = Client()
    client.force_login(cast.inspector)
    page = client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    offered = [level for level in range(10) if f'id="v-A1-{level}"' in page]
    assert offered == list(LEVELS)


def test_the_migration_fills_the_criterion_scores_as_the_services_store_them(
    approved: Inspection,
) -> None:
    migration = importlib.import_module("inspections.migrations.0006_inspection_criterion_scores")
    stored = approved.criterion_scores
    Inspection.objects.filter(pk=approved.pk).update(criterion_scores=[])
    migration.fill_criterion_scores(apps, None)
    approved.refresh_from_db()
    assert approved.criterion_scores == stored
