"""One FilterSet per list, shared by the API and the web pages: same rows, same refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from inspections.errors import DomainError
from inspections.models import Inspection, Round
from inspections.selectors import commitment_list, inspection_list, review_queue, round_list
from tests.accounts import sign_in
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def web_client(user: Any) -> Client:
    return sign_in(user)


@pytest.mark.parametrize("raw", ["²", "①", "١٢", "１", "abc", "0", "-3", str(2**63)])
def test_a_bad_id_filter_is_refused_naming_its_field(cast, raw):
    with pytest.raises(DomainError) as refused:
        inspection_list(user=cast.internal_affairs, query={"round": raw})
    assert list(refused.value.fields) == ["round"]


def test_the_api_and_the_web_page_refuse_a_bad_filter_with_the_same_message(cast):
    api = client_for(cast.internal_affairs).get("/api/v1/inspections/", {"round": "²"})
    web = web_client(cast.internal_affairs).get("/duyet/", {"round": "²"})
    assert api.status_code == 400
    assert web.status_code == 400
    message = json.loads(api.content)["errors"]["round"][0]
    assert message in web.content.decode()


def test_parameters_that_are_not_filters_are_left_to_their_views(cast):
    assert list(round_list(query={"page": "2", "format": "csv"})) == list(round_list())


def test_the_review_queue_lists_submitted_official_inspections_of_the_round_asked(
    cast, make_inspection, open_round, org
):
    submitted = make_inspection(state="submitted")
    make_inspection(unit=org.tai_chinh)  # a draft: not in the queue
    queue = review_queue(user=cast.internal_affairs, query={"round": str(open_round.pk)})
    assert list(queue) == [submitted]
    other_round = review_queue(user=cast.internal_affairs, query={"round": "999"})
    assert list(other_round) == []


def test_the_web_queue_and_the_api_list_agree_on_a_filter(cast, make_inspection, open_round):
    submitted = make_inspection(state="submitted")
    api = client_for(cast.internal_affairs).get(
        "/api/v1/inspections/", {"round": open_round.pk, "status": "submitted"}
    )
    assert [row["id"] for row in json.loads(api.content)["results"]] == [str(submitted.pk)]
    page = web_client(cast.internal_affairs).get("/duyet/", {"round": open_round.pk})
    assert page.status_code == 200
    assert [i.pk for i in page.context["inspections"]] == [submitted.pk]


def test_a_filter_never_widens_what_a_user_may_see(cast, make_inspection, org):
    make_inspection(state="submitted")  # by kiemtra1, not the other inspector
    rows = inspection_list(user=cast.other_inspector, query={"unit": str(org.ward.pk)})
    assert list(rows) == []
    assert set(inspection_list(user=cast.inspector, query={})) == set(Inspection.objects.all())


def test_rounds_filter_by_status(open_round):
    assert list(round_list(query={"status": "open"})) == [open_round]
    assert list(round_list(query={"status": "published"})) == []
    with pytest.raises(DomainError):
        round_list(query={"status": "nonsense"})
    assert Round.objects.count() == 1


@pytest.mark.parametrize("year", ["²⁰²⁶", "１９９９", "1999", "99999999999999999999"])
def test_the_commitments_page_refuses_a_year_it_cannot_read(cast, year):
    response = web_client(cast.ward_office).get("/cam-ket/", {"nam": year})
    assert response.status_code == 400
    with pytest.raises(DomainError):
        commitment_list(user=cast.ward_office, query={"year": year})


def test_actions_filter_by_group_criterion_and_reason(cast, open_round, org):
    """The dashboard's charts link to the actions behind them with these three."""
    from inspections.selectors import action_list
    from tests.inspections.builders import approved_inspection

    approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": 1, "A5": False},
        flagged=["A1"],
    )

    def codes(**query):
        rows = action_list(user=cast.leader, query={k: str(v) for k, v in query.items()})
        return sorted(rows.values_list("criterion__code", flat=True))

    assert codes(group=org.wards.pk) == ["A1", "A5"]
    assert codes(group=org.departments.pk) == []
    assert codes(reason="critical_failed") == ["A5"]
    assert codes(criterion="A1", group=org.wards.pk) == ["A1"]
    with pytest.raises(DomainError):
        codes(reason="other")
