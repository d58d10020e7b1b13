"""Publishing a model version: the checks test_catalogue.py does not already pin."""

from __future__ import annotations

import pytest

from inspections.errors import Problem
from inspections.models import Criterion, Event, ModelVersion
from inspections.services import version_new_draft, version_publish
from tests.inspections.builders import refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(version):
    return version_new_draft(source=version, by=None)


def _problems(draft) -> str:
    error = refusal(Problem.INVALID, version_publish, version=draft, by=None)
    draft.refresh_from_db()
    assert not draft.is_published and draft.published_at is None
    return " ".join(message for found in error.fields.values() for message in found)


def test_a_critical_cap_that_is_not_one_of_the_levels_is_refused(draft):
    draft.critical_cap = "vang"
    draft.save(update_fields=["critical_cap"])
    assert "★" in _problems(draft)


def test_the_lowest_level_must_start_at_zero(draft):
    draft.levels.filter(code="khong_dat").update(minimum_score=10)
    assert "từ 0 điểm" in _problems(draft)


def test_bands_on_a_criterion_that_is_not_a_percentage_are_refused(draft):
    Criterion.objects.filter(version=draft, code="A1").update(
        bands=[{"minimum": "50", "points": "1"}]
    )
    assert "A1" in _problems(draft)


def test_band_points_above_the_criterions_maximum_are_refused(draft):
    Criterion.objects.filter(version=draft, code="D3").update(
        bands=[{"minimum": "80", "points": "5"}]  # D3 is worth 4
    )
    assert "D3" in _problems(draft)


def test_an_empty_version_is_refused_with_every_problem(version):
    empty = ModelVersion.objects.create(model=version.model, number=9, title="Trống")
    problems = _problems(empty)
    assert "mức xếp loại" in problems and "tiêu chí" in problems and "★" in problems


def test_a_new_draft_comes_only_from_a_published_version(draft):
    refusal(Problem.WRONG_STATE, version_new_draft, source=draft, by=None)
    assert ModelVersion.objects.count() == 2


def test_publishing_records_an_event(draft, cast):
    version_publish(version=draft, by=cast.internal_affairs)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    event = Event.objects.get(action="version_published", actor=cast.internal_affairs)
    assert (event.actor, event.object_id) == (cast.internal_affairs, str(draft.pk))
