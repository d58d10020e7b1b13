"""The corrective-action pages: lists by state, unit, round and due date (overdue first), one
action's finding, before and after photos, verdict and timeline; last round's actions on A10."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import CorrectiveAction, Event, Inspection, Round
from inspections.services import action_reopen, action_respond, inspection_create, round_create
from tests.accounts import sign_in
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection, assign

Status = CorrectiveAction.Status


@pytest.fixture
def approved(open_round: Any, org: Any, cast: Any) -> Inspection:
    """Phường An Lạc: A1 at level 1 and B1 flagged; the ★ item A5 failed."""
    return approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn"), "A5": (False, "Lối thoát hiểm bị chắn")},
        flagged=["A1", "B1"],
    )


def photo(name: str = "sau.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_shows_every_action_with_its_round_unit_due_date_and_state(
    approved: Inspection, cast: Any
) -> None:
    html = html_of(sign_in(cast.ward_office), reverse("actions"))
    for code in ("A1", "A5", "B1"):
        assert f'<span class="code">{code}</span>' in html
    assert "Quý IV/2026" in html and "Phường An Lạc" in html
    assert "Chưa khắc phục" in html


def test_overdue_actions_come_first_and_are_marked(approved: Inspection, cast: Any) -> None:
    late = approved.actions.get(criterion__code="B1")
    CorrectiveAction.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    html = html_of(sign_in(cast.internal_affairs), reverse("actions"))
    assert html.index('<span class="code">B1</span>') < html.index('<span class="code">A1</span>')
    assert "Quá hạn" in html
    only_late = html_of(sign_in(cast.internal_affairs), reverse("actions") + "?overdue=1")
    assert '<span class="code">B1</span>' in only_late
    assert '<span class="code">A1</span>' not in only_late


def test_the_filters_live_in_the_url_by_state_unit_round_and_due_date(
    approved: Inspection, cast: Any, org: Any
) -> None:
    action = approved.actions.get(criterion__code="A5")
    action_respond(by=cast.ward_office, action=action, note="Đã dọn", files=[jpeg_bytes()])
    client = sign_in(cast.internal_affairs)
    responded = html_of(client, reverse("actions") + "?status=responded")
    assert '<span class="code">A5</span>' in responded
    assert '<span class="code">A1</span>' not in responded
    assert 'value="responded" selected' in responded
    other_unit = html_of(client, reverse("actions") + f"?unit={org.tai_chinh.pk}")
    assert "Không có yêu cầu khắc phục nào." in other_unit
    this_round = html_of(client, reverse("actions") + f"?round={approved.round_id}")
    assert '<span class="code">A1</span>' in this_round
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    due_soon = html_of(client, reverse("actions") + f"?due_before={tomorrow.isoformat()}")
    assert "Không có yêu cầu khắc phục nào." in due_soon  # due in 14 days


def test_a_bad_filter_is_a_400_naming_it(approved: Inspection, cast: Any) -> None:
    client = sign_in(cast.internal_affairs)
    for query in ("status=xyz", "due_before=2026-13-40", "unit=١٢", "round=abc", "overdue=2"):
        assert client.get(reverse("actions") + "?" + query).status_code == 400, query


def test_an_office_lists_only_its_own_units_actions(approved: Inspection, cast: Any) -> None:
    html = html_of(sign_in(cast.department_office), reverse("actions"))
    assert "Không có yêu cầu khắc phục nào." in html


def _many_actions(approved: Inspection, n: int) -> None:
    """More actions on more rounds and units, as a long list would have."""
    template = CorrectiveAction.objects.filter(inspection=approved).first()
    assert template is not None
    criteria = list(approved.round.version.criteria.exclude(actions__inspection=approved)[:n])
    for criterion in criteria:
        CorrectiveAction.objects.create(
            inspection=approved,
            criterion=criterion,
            unit=approved.unit,
            reason=CorrectiveAction.Reason.FLAGGED,
            due_on=template.due_on,
        )


@pytest.mark.parametrize("who", ["internal_affairs", "ward_office", "inspector"])
def test_the_list_runs_the_same_number_of_queries_for_3_or_15_actions(
    approved: Inspection, cast: Any, who: str
) -> None:
    client = sign_in(getattr(cast, who))
    url = reverse("actions") + "?overdue=0"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_actions(approved, 12)
    assert CorrectiveAction.objects.count() == 15
    with CaptureQueriesContext(connection) as many:
        html = html_of(client, url)
    assert html.count('<li class="card') >= 15
    assert len(many) == len(few)


def test_the_unit_page_runs_the_same_number_of_queries_for_3_or_15_actions(
    approved: Inspection, cast: Any
) -> None:
    client = sign_in(cast.ward_office)
    url = reverse("unit", args=["PANLAC"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_actions(approved, 12)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_action_page_shows_the_finding_with_the_inspectors_photos_and_due_date(
    approved: Inspection, cast: Any
) -> None:
    action = approved.actions.get(criterion__code="A5")
    html = html_of(sign_in(cast.ward_office), reverse("action", args=[action.pk]))
    assert "Quý IV/2026" in html and "Lối thoát hiểm bị chắn" in html
    assert "Không đạt" in html and action.due_on.strftime("%d/%m/%Y") in html
    before = approved.photos.get(criterion=action.criterion)
    assert reverse("api:photo-file", args=[before.pk, "thumbnail"]) in html
    assert "bắt buộc, ít nhất một ảnh" in html  # A5 needs a photo of the fix


def test_a_response_without_a_photo_is_refused_where_the_item_needs_one(
    approved: Inspection, cast: Any
) -> None:
    action = approved.actions.get(criterion__code="A5")
    response = sign_in(cast.ward_office).post(
        reverse("action-respond", args=[action.pk]), {"note": "Đã dọn lối đi"}
    )
    assert response.status_code == 400
    assert "cần ít nhất một ảnh" in response.content.decode()
    assert "Đã dọn lối đi" in response.content.decode()  # what was typed is kept
    action.refresh_from_db()
    assert action.status == Status.OPEN


def test_the_response_shows_waiting_for_verification_with_before_and_after_photos(
    approved: Inspection, cast: Any
) -> None:
    action = approved.actions.get(criterion__code="A5")
    office = sign_in(cast.ward_office)
    response = office.post(
        reverse("action-respond", args=[action.pk]), {"note": "Đã dọn lối đi", "files": [photo()]}
    )
    assert response.status_code == 302
    html = html_of(office, reverse("action", args=[action.pk]))
    assert "Đã phản hồi — chờ xác minh" in html and "Đã dọn lối đi" in html
    assert "Trước và sau khắc phục" in html
    after = action.responses.get().photos.get()
    assert reverse("api:photo-file", args=[after.pk, "thumbnail"]) in html
    unit = html_of(office, reverse("unit", args=["PANLAC"]))
    assert f'id="action-{action.pk}"' in unit and "Đã phản hồi — chờ xác minh" in unit


def test_the_inspector_reopens_with_a_reason_on_the_page_and_the_timeline_shows_it(
    approved: Inspection, cast: Any
) -> None:
    action = approved.actions.get(criterion__code="A5")
    action_respond(by=cast.ward_office, action=action, note="Đã dọn", files=[jpeg_bytes()])
    inspector = sign_in(cast.inspector)
    page = html_of(inspector, reverse("action", args=[action.pk]))
    assert "Yêu cầu khắc phục lại" in page and "Xác nhận đã khắc phục" in page
    url = reverse("action-verdict", args=[action.pk, "khac-phuc-lai"])
    assert inspector.post(url, {"note": " "}).status_code == 400
    action.refresh_from_db()
    assert action.status == Status.RESPONDED
    assert inspector.post(url, {"note": "Còn thùng hàng ở cầu thang"}).status_code == 302
    html = html_of(inspector, reverse("action", args=[action.pk]))
    timeline = html[html.index("Lịch sử xử lý") :]
    for step in ("Mở yêu cầu khắc phục", "Đơn vị báo cáo khắc phục", "Còn thùng hàng"):
        assert step in timeline


def test_someone_else_neither_sees_nor_answers_an_action(approved: Inspection, cast: Any) -> None:
    action = approved.actions.get(criterion__code="A5")
    for someone in (cast.department_office, cast.other_inspector):
        client = sign_in(someone)
        assert client.get(reverse("action", args=[action.pk])).status_code == 404
        url = reverse("action-respond", args=[action.pk])
        assert client.post(url, {"note": "x", "files": [photo()]}).status_code == 404
    action_respond(by=cast.ward_office, action=action, note="Đã dọn", files=[jpeg_bytes()])
    url = reverse("action-verdict", args=[action.pk, "xac-nhan"])
    assert sign_in(cast.ward_office).post(url, {}).status_code == 403
    action.refresh_from_db()
    assert action.status == Status.RESPONDED


def test_a_superseded_action_says_which_revision_made_the_item_pass(
    approved: Inspection, cast: Any
) -> None:
    from inspections.services import inspection_revise

    action = approved.actions.get(criterion__code="A5")
    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Phúc tra: lối thoát hiểm thông thoáng",
        answers={"A5": {"value": True}},
    )
    html = html_of(sign_in(cast.ward_office), reverse("action", args=[action.pk]))
    assert "Không còn hiệu lực: lần điều chỉnh 2" in html
    assert Event.objects.filter(action="action_superseded", object_id=str(action.pk)).exists()


def test_the_next_rounds_checklist_shows_last_rounds_actions_on_a10(
    approved: Inspection, cast: Any, org: Any, version: Any
) -> None:
    responded = approved.actions.get(criterion__code="A5")
    action_respond(by=cast.ward_office, action=responded, note="Đã dọn", files=[jpeg_bytes()])
    action_reopen(by=cast.inspector, action=responded, note="Chưa đạt")
    next_round = round_create(
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
        open_now=True,
    )
    assign(next_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(
        by=cast.other_inspector, round=next_round, unit=org.ward
    )
    html = html_of(sign_in(cast.other_inspector), reverse("checklist", args=[inspection.pk]))
    a10 = html[html.index('id="c-A10"') : html.index('id="c-B1"')]
    assert "Yêu cầu khắc phục kỳ trước" in a10 and "Quý IV/2026" in a10
    for code in ("A1", "A5", "B1"):
        assert f'<span class="code">{code}</span>' in a10
    assert "Yêu cầu khắc phục lại" in a10 and "Chưa khắc phục" in a10
    # The first round of a unit has nothing before it.
    first = html_of(sign_in(cast.inspector), reverse("result", args=[approved.pk]))
    assert "Kỳ trước" not in first
    assert Round.objects.count() == 2
