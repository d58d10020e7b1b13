"""Autosave at the floor: one answer written through either door in at most 6 queries
(SAVEPOINTs counted; the token or the session's user remembered, as from the second
request), a score moved incrementally that always equals the full rescore, and the same
answer again written not at all."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Answer, Criterion, Event, Inspection
from inspections.services.results import rescore_inspection
from tests.accounts import sign_in
from tests.api.test_tokens import with_token

WRITE_QUERIES = 6


@pytest.fixture
def draft(make_inspection: Any) -> Inspection:
    inspection: Inspection = make_inspection()
    return inspection


def signed_in_by_token(user: Any) -> Any:
    secret = services.token_issue(user=user, device="")[1]
    client = with_token(secret)
    for _ in range(2):  # the first use learns the token's owner, the second remembers it
        assert client.get("/api/v1/me/").status_code == 200
    return client


def put(client: Any, inspection: Inspection, code: str, value: object, **extra: Any) -> Any:
    url = f"/api/v1/inspections/{inspection.pk}/answers/{code}/"
    return client.put(url, {"value": value, **extra}, format="json")


def stored(inspection: Inspection) -> dict[str, Any]:
    """The stored scores, numbers as numbers (1.50 and 1.5 are the same points)."""
    inspection.refresh_from_db()

    def numbers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: Decimal(v) if k != "section" and k != "code" and isinstance(v, str) else v
                 for k, v in row.items()} for row in rows]  # fmt: skip

    return {
        "earned": inspection.earned_points,
        "possible": inspection.possible_points,
        "exact": inspection.score_exact,
        "score": inspection.score,
        "classification": inspection.classification,
        "enough_basis": inspection.enough_basis,
        "critical_failures": inspection.critical_failures,
        "sections": numbers(inspection.section_scores),
        "criteria": numbers(inspection.criterion_scores),
    }


def test_an_api_answer_takes_at_most_6_queries(
    draft: Inspection, cast: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in_by_token(cast.inspector)
    assert put(client, draft, "A1", 2).status_code == 200
    for code, value in [("A1", 3), ("A5", True), ("D1", "92,5"), ("A7", None)]:
        with django_assert_max_num_queries(WRITE_QUERIES):
            response = put(client, draft, code, value, note="Đã xem tại chỗ")
        assert response.status_code == 200, response.content
    assert Answer.objects.get(inspection=draft, criterion__code="D1").number == Decimal("92.5")


def test_a_web_answer_takes_at_most_6_queries(
    draft: Inspection, cast: Any, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(cast.inspector)
    url = reverse("answer", args=[draft.pk, "A1"])
    assert client.post(url, {"value": "2", "note": ""}).status_code == 302
    assert client.get(reverse("checklist", args=[draft.pk])).status_code == 200  # remembered
    with django_assert_max_num_queries(WRITE_QUERIES):
        assert client.post(url, {"value": "3", "note": "Gọn gàng"}).status_code == 302
    assert Answer.objects.get(inspection=draft, criterion__code="A1").level == 3


def test_the_same_answer_again_writes_nothing(
    draft: Inspection, cast: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in_by_token(cast.inspector)
    first = put(client, draft, "A1", 2, note="Ghi chú", flagged=True)
    assert first.status_code == 200
    events = Event.objects.count()
    before = Answer.objects.get(inspection=draft, criterion__code="A1").updated_at
    with django_assert_max_num_queries(3):  # the savepoint, the locked read, its release
        response = put(client, draft, "A1", "2", note=" Ghi chú ", flagged=True)
    assert response.status_code == 200
    assert response.json() == first.json()  # the answer as stored, points and time included
    assert Event.objects.count() == events
    assert Answer.objects.get(inspection=draft, criterion__code="A1").updated_at == before
    web = sign_in(cast.inspector)
    web.post(reverse("answer", args=[draft.pk, "A1"]), {"value": "2", "note": "Ghi chú",
                                                       "flagged": "on"})  # fmt: skip
    assert Event.objects.count() == events
    # Clearing an answer never given is nothing to write either.
    assert put(client, draft, "A2", None).status_code == 200
    assert not Answer.objects.filter(inspection=draft, criterion__code="A2").exists()


def test_incremental_scores_always_equal_the_full_rescore(draft: Inspection, cast: Any) -> None:
    criteria = list(Criterion.objects.filter(version_id=draft.round.version_id))
    choices = {"yes_no": [True, False, None], "level": [0, 1, 2, 3, 4, None],
               "percent": ["0", "49,9", "92.5", "100", None]}  # fmt: skip
    rng = random.Random(22)
    for _step in range(120):
        criterion = rng.choice(criteria)
        options = list(choices[criterion.answer_type])
        if criterion.na_allowed:
            options.append("na")
        services.answer_set(
            by=cast.inspector,
            inspection=draft.pk,
            criterion_code=criterion.code,
            value=rng.choice(options),
        )
        incremental = stored(draft)
        rescore_inspection(draft)
        assert stored(draft) == incremental


def test_scores_stored_before_they_were_kept_per_criterion_are_rescored_in_full(
    draft: Inspection, cast: Any
) -> None:
    services.answer_set(by=cast.inspector, inspection=draft, criterion_code="A1", value=4)
    Inspection.objects.filter(pk=draft.pk).update(criterion_scores=[], section_scores=[])
    services.answer_set(by=cast.inspector, inspection=draft, criterion_code="A2", value=2)
    incremental = stored(draft)
    rescore_inspection(draft)
    assert stored(draft) == incremental
    assert incremental["earned"] == Decimal("4.5")


def test_someone_elses_inspection_is_a_404_to_those_who_do_not_see_it(
    draft: Inspection, cast: Any
) -> None:
    stranger = signed_in_by_token(cast.other_inspector)
    assert put(stranger, draft, "A1", 2).status_code == 404
    assert put(stranger, draft, "A1", 2).json()["code"] == "not_found"
    reviewer = signed_in_by_token(cast.internal_affairs)
    assert put(reviewer, draft, "A1", 2).status_code == 403
    owner = signed_in_by_token(cast.inspector)
    assert put(owner, draft, "Z9", 2).status_code == 404
    assert put(owner, draft, "A1", "x").status_code == 400
    url = "/api/v1/inspections/khong-phai-ma/answers/A1/"
    assert owner.put(url, {"value": 1}, format="json").status_code == 404
    assert not Answer.objects.filter(inspection=draft).exists()
