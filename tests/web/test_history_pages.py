"""An inspection's history page: reached from the result page by Internal Affairs and the
inspector, and no one else."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Inspection, Round
from inspections.services import answer_set, inspection_create
from tests.accounts import sign_in
from tests.inspections.builders import assign
from tests.inspections.test_history import revised_inspection


@pytest.fixture
def revised(open_round: Round, org: Any, cast: Any) -> Inspection:
    return revised_inspection(open_round, org.ward, cast)


def test_the_result_page_links_to_the_history_for_internal_affairs_and_the_inspector(
    revised: Inspection, cast: Any
) -> None:
    history = reverse("inspection-history", args=[revised.pk])
    for user in (cast.internal_affairs, cast.inspector):
        assert history in sign_in(user).get(reverse("result", args=[revised.pk])).content.decode()
    office = sign_in(cast.ward_office)
    assert history not in office.get(reverse("result", args=[revised.pk])).content.decode()
    assert office.get(history).status_code == 403
    assert sign_in(cast.department_office).get(history).status_code == 404


def test_the_history_page_shows_the_timeline_and_what_the_correction_changed(
    revised: Inspection, cast: Any
) -> None:
    html = sign_in(cast.inspector).get(reverse("inspection-history", args=[revised.pk]))
    text = html.content.decode()
    assert "Ảnh A1 mờ" in text and "Chấm lại A1 theo hồ sơ" in text  # both reasons
    assert "Mức 3/4" in text and "Mức 1/4" in text and "Còn giấy tờ trên bàn" in text
    assert "Trả lại phiếu" in text and "Duyệt phiếu" in text and "Ký biên bản" in text


def test_a_revision_number_that_does_not_exist_is_a_400_page(
    revised: Inspection, cast: Any
) -> None:
    url = reverse("inspection-history", args=[revised.pk])
    assert sign_in(cast.internal_affairs).get(url, {"from": "7"}).status_code == 400


def test_the_history_page_runs_the_same_queries_for_a_short_or_a_long_story(
    open_round: Round, org: Any, cast: Any
) -> None:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    client = sign_in(cast.inspector)
    url = reverse("inspection-history", args=[inspection.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for value in (1, 2, 3, 4, 0, 2):
        answer_set(by=cast.inspector, inspection=inspection, criterion_code="A1", value=value)
        answer_set(by=cast.inspector, inspection=inspection, criterion_code="A2", value=value)
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)
