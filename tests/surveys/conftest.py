"""The survey's cast: a desk at the ward, answers at known times, a clean rate-limit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from inspections.models import SurveyPoint, SurveyResponse
from inspections.services.surveys import SurveyAnswers, survey_point_create, survey_submit

IN_ROUND = datetime.datetime(2026, 11, 3, 9, 30, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> Iterator[None]:
    """Rate-limit logs live in the cache; a small minimum keeps the cases short."""
    settings.SURVEY_MIN_RESPONSES = 3
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(org: Any, cast: Any) -> SurveyPoint:
    return survey_point_create(by=cast.ward_office, unit=org.ward, desk="Bộ phận một cửa")


def answer(
    point: SurveyPoint,
    satisfaction: int,
    *,
    at: datetime.datetime = IN_ROUND,
    address: str = "203.0.113.7",
    comment: str = "",
    repeat: bool = False,
) -> SurveyResponse | None:
    return survey_submit(
        point=point,
        answers=SurveyAnswers(satisfaction, True, 3, comment),
        address=address,
        repeat=repeat,
        now=at,
    ).response


def answers(
    point: SurveyPoint, levels: list[int], *, at: datetime.datetime = IN_ROUND, **kwargs: Any
) -> None:
    """Each answer from its own address, a minute apart: no limit is reached."""
    for index, level in enumerate(levels):
        answer(
            point,
            level,
            address=f"198.51.100.{index % 250}",
            at=at + datetime.timedelta(minutes=index),
            **kwargs,
        )
