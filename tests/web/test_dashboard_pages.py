"""The leaders' dashboard: charts with their sentence, table and link, for leaders and
Internal Affairs only, in a number of queries that does not grow with the units."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import (
    Assignment,
    Commitment,
    CorrectiveAction,
    Criterion,
    Group,
    Inspection,
    OrgUnit,
    Round,
    UnitResult,
)
from tests.accounts import sign_in
from tests.inspections.builders import approved_inspection

SVG = re.compile(r'<svg class="viz__svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"')


def client_for(user: Any) -> Client:
    return sign_in(user)


def test_every_chart_has_a_sentence_a_table_and_a_link(
    open_round: Any, org: Any, cast: Any
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1, "A5": False},
        flagged=["A1"],
    )
    CorrectiveAction.objects.filter(inspection=approved).update(due_on=datetime.date(2020, 1, 1))
    html = client_for(cast.leader).get(reverse("dashboard")).content.decode()
    # Progress of the open round, classes, the trend, the heat map, ★ failures, overdue
    # actions and the commitments: each chart named by its title and its sentence.
    labelled = SVG.findall(html)
    assert {"progress-title progress-fact", "classes-title classes-fact"} <= set(labelled)
    assert {"heat-title heat-fact", "critical-title critical-fact"} <= set(labelled)
    assert {"overdue-title overdue-fact", "coverage-title coverage-fact"} <= set(labelled)
    for ids in labelled:
        for one in ids.split():
            assert f'id="{one}"' in html
    assert html.count("<details>") >= 6 and "style=" not in html and "<script>" not in html
    assert "Khối phường, xã: 1/1 đơn vị chưa đạt tiêu chí A1" in html
    # Held at the cap by A5: nobody in the best class, so the sentence names the commonest.
    assert "Quý IV/2026: không đơn vị nào xếp loại Xuất sắc; nhiều nhất là" in html
    assert "Quý IV/2026: 1 đơn vị không đạt tiêu chí ★; nhiều nhất là A5 (1 đơn vị)." in html
    assert "1 đơn vị có 2 yêu cầu khắc phục quá hạn; nhiều nhất là Phường An Lạc (2)" in html
    assert "Quý IV/2026: 1/1 đơn vị đã được duyệt, 0 chờ duyệt; hạn 31/12/2026." in html
    assert "đơn vị đã ký bản cam kết" in html
    # The rows behind the charts: the ranking, the actions filtered, the commitments.
    assert reverse("round-ranking", args=[open_round.pk]) in html
    assert f"?round={open_round.pk}&amp;reason=critical_failed" in html
    assert "&amp;criterion=A1" in html
    assert "?overdue=1" in html and "signed=0" in html
    score = f"{approved.score:.2f}".replace(".", ",")
    assert score in html  # the group's mean in the trend's table, Vietnamese style


def test_a_group_chosen_keeps_only_its_units(open_round: Any, org: Any, cast: Any) -> None:
    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1},
    )
    leader = client_for(cast.leader)
    html = leader.get(reverse("dashboard"), {"group": org.departments.pk}).content.decode()
    assert "Khối phường, xã: 1/1" not in html
    assert 'id="heat-fact" class="viz__fact">Quý IV/2026: không đơn vị nào' in html
    html = leader.get(reverse("dashboard"), {"group": org.wards.pk}).content.decode()
    assert "Khối phường, xã: 1/1 đơn vị chưa đạt tiêu chí A1" in html
    assert "Quý IV/2026, Khối phường, xã: 1/1 đơn vị xếp loại Xuất sắc." in html


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "²⁰²⁶"},
        {"year": "99999999999999999999"},
        {"round": "999999"},
        {"round": "-1"},
        {"group": "999999"},
        {"year": "2020", "round": "ROUND"},
    ],
)
def test_a_bad_filter_is_a_400_naming_it(query: dict[str, str], open_round: Any, cast: Any) -> None:
    query = {k: str(open_round.pk) if v == "ROUND" else v for k, v in query.items()}
    response = client_for(cast.leader).get(reverse("dashboard"), query)
    assert response.status_code == 400


def test_only_leaders_and_internal_affairs_see_the_dashboard(cast: Any) -> None:
    assert client_for(cast.internal_affairs).get(reverse("dashboard")).status_code == 200
    assert client_for(cast.leader).get(reverse("dashboard")).status_code == 200
    for user in (cast.ward_office, cast.inspector):
        assert client_for(user).get(reverse("dashboard")).status_code == 403


def city(size: int, *, version: Any, cast: Any, start: int = 0) -> None:
    """`size` more units in two groups, each with results in a published round and the open
    one, an approved inspection failing A5, an overdue action, an assignment; half signed."""
    groups = [
        Group.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (("k-a", "Khối A"), ("k-b", "Khối B"))
    ]
    earlier, current = Round.objects.order_by("ends_on")
    a5 = Criterion.objects.get(version=version, code="A5")
    scores = [
        {"code": c, "earned": "1", "possible": "3", "critical_failed": c == "A5"}
        for c in Criterion.objects.filter(version=version).values_list("code", flat=True)
    ]
    for i in range(start, start + size):
        group = groups[i % 2]
        unit = OrgUnit.objects.create(code=f"U{i:04d}", name=f"Đơn vị {i}", group=group)
        for round_, score in ((earlier, 70 + i % 10), (current, 80 - i % 7)):
            UnitResult.objects.create(
                unit=unit,
                round=round_,
                group=group,
                score=Decimal(score),
                classification="kha",
                class_order=3,
            )
        inspection = Inspection.objects.create(
            round=current,
            unit=unit,
            inspector=cast.inspector,
            state=Inspection.State.APPROVED,
            unit_name_snapshot=unit.name,
            group_snapshot=group,
            criterion_scores=scores,
        )
        CorrectiveAction.objects.create(
            inspection=inspection,
            criterion=a5,
            unit=unit,
            reason=CorrectiveAction.Reason.CRITICAL_FAILED,
            due_on=datetime.date(2020, 1, 1),
        )
        Assignment.objects.create(round=current, unit=unit, inspector=cast.inspector)
        if i % 2:
            Commitment.objects.create(unit=unit, year=current.ends_on.year)


def test_the_queries_do_not_grow_with_the_units(version: Any, cast: Any) -> None:
    Round.objects.create(
        name="Quý III/2026",
        version=version,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
        status=Round.Status.PUBLISHED,
    )
    current = Round.objects.create(
        name="Quý IV/2026",
        version=version,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=Round.Status.OPEN,
    )
    leader, api = client_for(cast.leader), client_for(cast.leader)
    query = {"round": str(current.pk)}  # the open round: the movers compare it with Quý III

    def counted() -> tuple[int, int, str]:
        with CaptureQueriesContext(connection) as page:
            html = leader.get(reverse("dashboard"), query).content.decode()
        with CaptureQueriesContext(connection) as data:
            assert api.get("/api/v1/dashboard/", query).status_code == 200
        return len(page), len(data), html

    city(2, version=version, cast=cast)
    counted()  # the first request remembers who the leader is (config/auth.py)
    small_page, small_api, html = counted()
    assert "Quý IV/2026: 2/2 đơn vị đã được duyệt" in html
    assert "2 đơn vị có 2 yêu cầu khắc phục quá hạn" in html
    city(18, version=version, cast=cast, start=2)
    large_page, large_api, html = counted()
    assert "20 đơn vị có 20 yêu cầu khắc phục quá hạn" in html
    assert "Khối A: 10/10 đơn vị chưa đạt tiêu chí A1" in html
    assert "So với Quý III/2026: Đơn vị" in html  # the movers
    assert (large_page, large_api) == (small_page, small_api)
    assert large_page < 40
