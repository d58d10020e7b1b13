"""The team, the people present and signatures through the API, and the records' refusals
(the PDFs themselves are rendered in tests/documents, marked `pdf`)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests.api.conftest import body, client_for

pytestmark = pytest.mark.django_db


def url(inspection: Any, tail: str) -> str:
    return f"/api/v1/inspections/{inspection.pk}/{tail}"


def test_the_inspector_in_charge_builds_the_team_and_records_who_was_there(make_inspection, cast):
    inspection = make_inspection()
    lead = client_for(cast.inspector)
    added = lead.post(url(inspection, "members/"), {"user": cast.other_inspector.pk}, format="json")
    assert added.status_code == 200
    assert [m["user"] for m in body(added)["members"]] == [cast.other_inspector.pk]
    key = str(uuid.uuid4())
    person = {"id": key, "name": "Nguyễn Văn An", "position": "Chánh Văn phòng"}
    first = lead.post(url(inspection, "representatives/"), person, format="json")
    again = lead.post(url(inspection, "representatives/"), person, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert body(again)["representatives"] == [person]
    removed = lead.delete(url(inspection, f"representatives/{key}/"))
    assert body(removed)["representatives"] == []
    assert lead.delete(url(inspection, "representatives/nope/")).status_code == 404
    gone = lead.delete(url(inspection, f"members/{cast.other_inspector.pk}/"))
    assert body(gone)["members"] == []


def test_a_member_of_the_unit_or_not_an_inspector_is_refused(make_inspection, cast):
    inspection = make_inspection()
    refused = client_for(cast.inspector).post(
        url(inspection, "members/"), {"user": cast.ward_office.pk}, format="json"
    )
    assert refused.status_code == 400 and "user" in body(refused)["errors"]
    nobody = client_for(cast.inspector).post(
        url(inspection, "members/"), {"user": "x"}, format="json"
    )
    assert nobody.status_code == 400


def test_members_see_the_team_and_write_their_note_but_outsiders_see_nothing(make_inspection, cast):
    inspection = make_inspection()
    client_for(cast.inspector).post(
        url(inspection, "members/"), {"user": cast.other_inspector.pk}, format="json"
    )
    member = client_for(cast.other_inspector)
    noted = member.put(
        url(inspection, "team-note/"), {"note": "Cần thêm bình chữa cháy"}, format="json"
    )
    assert noted.status_code == 200
    assert body(noted)["members"][0]["note"] == "Cần thêm bình chữa cháy"
    assert member.get(url(inspection, "")).status_code == 200
    answer = member.put(url(inspection, "answers/A1/"), {"value": 4}, format="json")
    assert answer.status_code == 403
    assert client_for(cast.department_office).get(url(inspection, "team/")).status_code == 404


def test_signatures_are_recorded_once_and_say_when_they_no_longer_cover_the_answers(
    make_inspection, cast
):
    inspection = make_inspection()
    lead = client_for(cast.inspector)
    lead.put(url(inspection, "answers/A1/"), {"value": 4}, format="json")
    key = str(uuid.uuid4())
    signed_at = timezone.localtime().replace(microsecond=0) - datetime.timedelta(hours=3)
    signature = {
        "id": key,
        "role": "unit",
        "name": "Nguyễn Văn An",
        "position": "Chủ tịch",
        "strokes": [[10, 10, 80, 40, 150, 20]],
        "signed_at": signed_at.isoformat(),  # the phone's clock, believed within 2 days
    }
    first = lead.post(url(inspection, "signatures/"), signature, format="json")
    again = lead.post(url(inspection, "signatures/"), signature, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    (state,) = body(again)["signatures"]
    assert state["current"] is True and parse_datetime(state["signed_at"]) == signed_at
    lead.put(url(inspection, "answers/A1/"), {"value": 2}, format="json")
    (state,) = body(lead.get(url(inspection, "team/")))["signatures"]
    assert state["current"] is False
    bad = lead.post(
        url(inspection, "signatures/"), {"role": "lead", "strokes": [[900, 10]]}, format="json"
    )
    assert bad.status_code == 400 and "strokes" in body(bad)["errors"]
    paper = lead.post(
        url(inspection, "signatures/"), {"role": "lead", "on_paper": True}, format="json"
    )
    assert paper.status_code == 201
    stranger = client_for(cast.other_inspector).post(
        url(inspection, "signatures/"), {"role": "lead", "on_paper": True}, format="json"
    )
    assert stranger.status_code == 404


def test_there_is_no_record_before_approval(make_inspection, cast):
    inspection = make_inspection(state="submitted")
    response = client_for(cast.internal_affairs).get(url(inspection, "record.pdf"))
    assert response.status_code == 409
    assert body(response)["code"] == "wrong_state"
    assert client_for(cast.outsider).get(url(inspection, "record.pdf")).status_code == 404
    bad = client_for(cast.internal_affairs).get(url(inspection, "record.pdf?revision=abc"))
    assert bad.status_code == 400


def test_the_report_of_a_round_waits_for_its_publication(open_round, cast):
    response = client_for(cast.internal_affairs).get(f"/api/v1/rounds/{open_round.pk}/report.pdf")
    assert response.status_code == 409
    assert (
        client_for(cast.inspector).get(f"/api/v1/rounds/{open_round.pk}/report.pdf").status_code
        == 403
    )
    assert client_for(cast.leader).get("/api/v1/rounds/999999/report.pdf").status_code == 404
