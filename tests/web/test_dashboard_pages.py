"""The leaders' dashboard: figures for leaders and Internal Affairs, nothing for others."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import CorrectiveAction
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection


def client_for(user: Any) -> Client:
    return sign_in(user)


def test_the_dashboard_shows_progress_classes_leaders_and_overdue_actions(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1},
        flagged=["A1"],
    )
    CorrectiveAction.objects.filter(inspection=approved).update(due_on=datetime.date(2020, 1, 1))
    leader = client_for(cast.leader)
    with CaptureQueriesContext(connection) as queries:
        html = leader.get(reverse("dashboard")).content.decode()
    assert len(queries) < 20
    assert "Quý IV/2026" in html and "1 đã duyệt, 0 chờ duyệt / 1 phân công" in html
    assert "Khối phường, xã" in html
    assert "Phường An Lạc" in html and f"{approved.score:.2f}".replace(".", ",") in html
    assert "Đơn vị có yêu cầu khắc phục quá hạn" in html


def test_only_leaders_and_internal_affairs_see_the_dashboard(cast: Any) -> None:
    assert client_for(cast.internal_affairs).get(reverse("dashboard")).status_code == 200
    for user in (cast.ward_office, cast.inspector):
        assert client_for(user).get(reverse("dashboard")).status_code == 403
