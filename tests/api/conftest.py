"""API test helpers: a client signed in as anyone, and an inspection at any stage."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from inspections import services
from inspections.models import CorrectiveAction, Criterion, EvidenceKind, Inspection
from tests.factories import jpeg_bytes


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()  # throttling counts live in the cache
    yield
    cache.clear()


def client_for(user: Any = None, **headers: str) -> APIClient:
    client = APIClient(**headers)
    if user is not None:
        client.force_authenticate(user)
    return client


def body(response: Any) -> Any:
    return json.loads(response.content)


def answer_all(inspection: Any, by: Any) -> None:
    """Passing answers to every criterion, with evidence where it is required."""
    criteria = Criterion.objects.filter(version_id=inspection.round.version_id)
    for criterion in criteria:
        value: object = {"yes_no": True, "level": 4, "percent": 100}[criterion.answer_type]
        services.answer_set(
            by=by, inspection=inspection, criterion_code=criterion.code, value=value
        )
        if criterion.evidence != EvidenceKind.NONE:
            services.photo_attach(
                by=by, inspection=inspection, data=jpeg_bytes(), criterion_code=criterion.code
            )


@pytest.fixture
def make_inspection(org: Any, cast: Any, open_round: Any) -> Any:
    """An official inspection of `unit` by the first inspector, taken to `state`."""

    def make(unit: Any = None, state: str = "draft", flag: str | None = None) -> Any:
        unit = unit or org.ward
        inspector = cast.inspector
        services.assignments_create(
            by=cast.internal_affairs, round=open_round, inspector=inspector, units=[unit]
        )
        inspection, _ = services.inspection_create(by=inspector, round=open_round, unit=unit)
        if state == "draft":
            return inspection
        answer_all(inspection, inspector)
        if flag:
            services.answer_set(
                by=inspector, inspection=inspection, criterion_code=flag, value=3, flagged=True
            )
        services.inspection_submit(by=inspector, inspection=inspection)
        if state == "approved":
            services.inspection_approve(by=cast.internal_affairs, inspection=inspection)
        inspection.refresh_from_db()
        return inspection

    return make


@pytest.fixture
def world(org: Any, cast: Any, open_round: Any) -> dict[str, Any]:
    """Sở Nội vụ's inspector made an approved inspection of Phường An Lạc (with a photo and a
    corrective action) and a draft of its school; the second inspector (Sở Tài chính)
    submitted another of the ward; the ward's office runs a self-assessment of its school and
    signed its 2026 commitment."""
    ia, inspector = cast.internal_affairs, cast.inspector
    services.assignments_create(
        by=ia, round=open_round, inspector=inspector, units=[org.ward, org.school, org.tai_chinh]
    )
    services.assignments_create(
        by=ia, round=open_round, inspector=cast.other_inspector, units=[org.ward]
    )
    approved, _ = services.inspection_create(by=inspector, round=open_round, unit=org.ward)
    services.answer_set(by=inspector, inspection=approved, criterion_code="A1", value=4)
    photo, _ = services.photo_attach(
        by=inspector, inspection=approved, data=jpeg_bytes(), criterion_code="A1"
    )
    # Setup shortcut: the lifecycle itself is driven over HTTP in test_lifecycle.py.
    Inspection.objects.filter(pk=approved.pk).update(
        state=Inspection.State.APPROVED, approved_at=timezone.now(), approved_by=ia
    )
    action = CorrectiveAction.objects.create(
        inspection=approved,
        criterion=Criterion.objects.get(version=open_round.version, code="A1"),
        unit=org.ward,
        reason=CorrectiveAction.Reason.FLAGGED,
        due_on=datetime.date(2026, 12, 1),
    )
    draft, _ = services.inspection_create(by=inspector, round=open_round, unit=org.school)
    submitted, _ = services.inspection_create(
        by=cast.other_inspector, round=open_round, unit=org.ward
    )
    Inspection.objects.filter(pk=submitted.pk).update(state=Inspection.State.SUBMITTED)
    own, _ = services.inspection_create(
        by=cast.ward_office, round=open_round, unit=org.school, kind="self"
    )
    services.commitment_record(
        by=cast.ward_office, unit=org.ward, year=2026, signed_on=None, data=jpeg_bytes()
    )
    draft_round = services.round_create(
        by=ia,
        name="Quý I/2027",
        version=open_round.version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    return {
        "round": open_round.pk,
        "draft_round": draft_round.pk,
        "version": open_round.version_id,
        "approved": approved.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "self": own.pk,
        "photo": photo.pk,
        "action": action.pk,
        "ward": org.ward.pk,
        "school": org.school.pk,
        "tai_chinh": org.tai_chinh.pk,
        "other_inspector": cast.other_inspector.pk,
    }
