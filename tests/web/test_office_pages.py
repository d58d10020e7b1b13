"""The unit's pages: its result, history, actions and self-assessment; nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections.models import CorrectiveAction, EvidencePhoto, Inspection, Round
from tests.accounts import sign_in
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection


def client_for(user: Any) -> Client:
    return sign_in(user)


@pytest.fixture
def approved(open_round: Any, org: Any, cast: Any) -> Inspection:
    return approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
        flagged=["A1"],
    )


def test_the_office_user_reads_its_latest_result_with_answers_notes_and_photos(
    approved: Inspection, cast: Any
) -> None:
    html = client_for(cast.ward_office).get(reverse("unit", args=["PANLAC"])).content.decode()
    assert "Phường An Lạc" in html
    assert "Bàn làm việc còn bừa bộn" in html
    assert "<meter" in html and "style=" not in html
    photo = EvidencePhoto.objects.filter(inspection=approved).first()
    assert photo is not None
    assert reverse("api:photo-file", args=[photo.pk, "display"]) in html
    score = f"{approved.score:.2f}".replace(".", ",")
    assert score in html  # Vietnamese decimal comma


def test_the_unit_home_sends_an_office_user_to_its_own_unit(cast: Any) -> None:
    response = client_for(cast.ward_office).get(reverse("unit-home"))
    assert response["Location"] == reverse("unit", args=["PANLAC"])


def test_an_office_user_cannot_reach_another_units_page_or_action(
    approved: Inspection, cast: Any
) -> None:
    action = CorrectiveAction.objects.get(inspection=approved)
    other = client_for(cast.department_office)
    assert other.get(reverse("unit", args=["PANLAC"])).status_code == 404
    url = reverse("unit-action-respond", args=["PANLAC", action.pk])
    assert other.post(url, {"note": "Đã dọn"}).status_code == 404
    url = reverse("unit-action-respond", args=["STC", action.pk])
    assert other.post(url, {"note": "Đã dọn"}).status_code == 404
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def test_the_office_answers_an_action_with_a_note_and_a_photo(
    approved: Inspection, cast: Any
) -> None:
    action = CorrectiveAction.objects.get(inspection=approved)
    photo = SimpleUploadedFile("sau.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client_for(cast.ward_office).post(
        reverse("unit-action-respond", args=["PANLAC", action.pk]),
        {"note": "Đã sắp xếp lại bàn làm việc", "files": [photo]},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.RESPONDED
    assert EvidencePhoto.objects.filter(action_response__action=action).count() == 1


def test_an_empty_note_is_a_form_error_and_the_action_stays_open(
    approved: Inspection, cast: Any
) -> None:
    action = CorrectiveAction.objects.get(inspection=approved)
    response = client_for(cast.ward_office).post(
        reverse("unit-action-respond", args=["PANLAC", action.pk]), {"note": "  "}
    )
    assert response.status_code == 400
    assert "Hãy mô tả việc đã khắc phục." in response.content.decode()
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def test_a_corrupt_photo_is_refused_and_the_action_stays_open(
    approved: Inspection, cast: Any
) -> None:
    action = CorrectiveAction.objects.get(inspection=approved)
    bad = SimpleUploadedFile("hong.jpg", b"\xff\xd8 not a jpeg", content_type="image/jpeg")
    response = client_for(cast.ward_office).post(
        reverse("unit-action-respond", args=["PANLAC", action.pk]),
        {"note": "Đã dọn", "photos": [bad]},
    )
    assert 400 <= response.status_code < 500
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def test_a_leader_reads_the_unit_page_but_cannot_answer_an_action(
    approved: Inspection, cast: Any
) -> None:
    leader = client_for(cast.leader)
    assert leader.get(reverse("unit", args=["PANLAC"])).status_code == 200
    action = CorrectiveAction.objects.get(inspection=approved)
    url = reverse("unit-action-respond", args=["PANLAC", action.pk])
    assert leader.post(url, {"note": "Đã dọn"}).status_code == 403


def test_the_office_starts_a_self_assessment_on_the_same_checklist(
    open_round: Any, cast: Any
) -> None:
    office = client_for(cast.ward_office)
    form = {"round": open_round.pk, "id": "7b0f8f7e-8c1e-4a7e-9f57-2d6f3c1a0b11"}
    first = office.post(reverse("unit-self-start", args=["PANLAC"]), form)
    second = office.post(reverse("unit-self-start", args=["PANLAC"]), form)
    made = Inspection.objects.get(kind=Inspection.Kind.SELF)
    assert first["Location"] == second["Location"] == reverse("checklist", args=[made.pk])
    assert made.inspector == cast.ward_office


def test_section_bars_carry_machine_numbers_while_the_text_uses_a_decimal_comma(
    approved: Inspection, cast: Any
) -> None:
    html = client_for(cast.ward_office).get(reverse("unit", args=["PANLAC"])).content.decode()
    assert 'value="92.50"' in html and "92,50\xa0%" in html


def test_the_history_across_rounds_is_drawn_as_an_inline_svg_line(
    approved: Inspection, version: Any, org: Any, cast: Any
) -> None:
    import datetime

    from inspections.services import round_create

    later = round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
        open_now=True,
    )
    approved_inspection(later, org.ward, cast.inspector, internal_affairs=cast.internal_affairs)
    html = client_for(cast.ward_office).get(reverse("unit", args=["PANLAC"])).content.decode()
    assert "<svg" in html and "<polyline" in html and html.count("<circle") == 2
    assert "Kết quả mới nhất: Quý I/2027" in html


def test_an_approved_result_of_an_unpublished_round_says_it_is_not_official_yet(
    approved: Inspection, cast: Any
) -> None:
    office = client_for(cast.ward_office)
    unofficial = "Kết quả chưa công bố chính thức"
    assert unofficial in office.get(reverse("unit", args=["PANLAC"])).content.decode()
    assert unofficial in office.get(reverse("result", args=[approved.pk])).content.decode()

    Round.objects.filter(pk=approved.round_id).update(status=Round.Status.PUBLISHED)
    assert unofficial not in office.get(reverse("unit", args=["PANLAC"])).content.decode()
    assert unofficial not in office.get(reverse("result", args=[approved.pk])).content.decode()
