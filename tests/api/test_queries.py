"""Every list endpoint runs as many SQL queries for 50 rows as for 5, under a pinned bound."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import (
    ActionResponse,
    Assignment,
    Commitment,
    CorrectiveAction,
    Criterion,
    EmulationModel,
    EvidencePhoto,
    Inspection,
    ModelVersion,
    Round,
)
from tests.api.conftest import client_for
from tests.factories import GroupFactory, OrgUnitFactory


def _units(n: int, ctx: Any) -> list[Any]:
    # Below the ward, so its office sees these units' rows too.
    return [OrgUnitFactory(parent=ctx.org.ward, group=ctx.org.wards) for _ in range(n)]


def _inspections(n: int, ctx: Any) -> list[Inspection]:
    return [
        Inspection.objects.create(
            round=ctx.round,
            unit=unit,
            inspector=ctx.cast.inspector,
            unit_name_snapshot=unit.name,
            state=Inspection.State.APPROVED,
        )
        for unit in _units(n, ctx)
    ]


def make_groups(n: int, ctx: Any) -> None:
    for _ in range(n):
        GroupFactory()


def make_models(n: int, ctx: Any) -> None:
    model = EmulationModel.objects.create(code=f"m-{uuid.uuid4().hex[:8]}", name="Mô hình thử")
    for number in range(1, n + 1):
        ModelVersion.objects.create(model=model, number=number, title=f"Bản {number}")


def make_rounds(n: int, ctx: Any) -> None:
    for i in range(n):
        Round.objects.create(
            name=f"Đợt {i}",
            version=ctx.round.version,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
        )


def make_assignments(n: int, ctx: Any) -> None:
    for unit in _units(n, ctx):
        Assignment.objects.create(round=ctx.round, unit=unit, inspector=ctx.cast.inspector)


def make_actions(n: int, ctx: Any) -> None:
    criterion = Criterion.objects.get(version=ctx.round.version, code="A1")
    for inspection in _inspections(n, ctx):
        action = CorrectiveAction.objects.create(
            inspection=inspection,
            criterion=criterion,
            unit=inspection.unit,
            reason=CorrectiveAction.Reason.FLAGGED,
            due_on=datetime.date(2026, 12, 1),
        )
        response = ActionResponse.objects.create(action=action, note="Đã sửa")
        EvidencePhoto.objects.create(
            action_response=response, content_type="image/jpeg", sha256="0" * 64
        )


def make_commitments(n: int, ctx: Any) -> None:
    for unit in _units(n, ctx):
        commitment = Commitment.objects.create(unit=unit, year=2026)
        EvidencePhoto.objects.create(
            commitment=commitment, content_type="image/jpeg", sha256="0" * 64
        )


# url, how to add n rows, the pinned bound on queries per request
LISTS: dict[str, tuple[str, Callable[[int, Any], Any], int]] = {
    "units": ("/api/v1/units/", _units, 2),
    "groups": ("/api/v1/groups/", make_groups, 2),
    "models": ("/api/v1/models/", make_models, 3),
    "rounds": ("/api/v1/rounds/", make_rounds, 2),
    "assignments": ("/api/v1/assignments/", make_assignments, 3),
    "inspections": ("/api/v1/inspections/", _inspections, 3),
    "actions": ("/api/v1/actions/", make_actions, 5),
    "commitments": ("/api/v1/commitments/", make_commitments, 4),
}

SEEN_BY_THE_OFFICE = {"units", "groups", "rounds", "inspections", "actions", "commitments"}


class Context:
    def __init__(self, org: Any, cast: Any, round: Any) -> None:
        self.org, self.cast, self.round = org, cast, round


def queries_for(user: Any, url: str) -> tuple[int, int]:
    fresh = get_user_model().objects.get(pk=user.pk)  # roles are read once per user object
    client = client_for(fresh)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}?page_size=200")
    assert response.status_code == 200, response.content[:300]
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("name", list(LISTS))
@pytest.mark.parametrize("role", ["internal_affairs", "ward_office"])
def test_a_list_runs_the_same_queries_for_5_rows_as_for_50(
    name: str, role: str, org: Any, cast: Any, open_round: Any
) -> None:
    url, make, bound = LISTS[name]
    ctx = Context(org, cast, open_round)
    user = getattr(cast, role)
    make(5, ctx)
    few, few_rows = queries_for(user, url)
    make(45, ctx)
    many, many_rows = queries_for(user, url)
    if name in SEEN_BY_THE_OFFICE or role == "internal_affairs":
        assert many_rows >= few_rows + 45  # the rows really are there
    assert few == many
    assert many <= bound
    print(f"{name} ({role}): {few_rows} rows → {few} queries; {many_rows} rows → {many}")
