"""The survey's pages: the public one (no sign-in, no script, small), its limit and logs,
the desks' pages and their permissions, and D2's proposal on the checklist."""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from config.logs import PrivatePathFilter
from inspections.documents.qr import qr_data_uri
from inspections.documents.surveys import survey_url
from inspections.models import Answer, EvidencePhoto, SurveyPoint, SurveyResponse
from inspections.services import inspection_create
from tests.accounts import sign_in
from tests.inspections.builders import assign
from tests.surveys.conftest import answer, answers

pytestmark = pytest.mark.django_db

GOOD = {"satisfaction": "5", "on_time": "1", "attitude": "3", "comment": "Nhanh, chu đáo"}


def public(point: SurveyPoint) -> str:
    return f"/y-kien/{point.token}/"


def test_the_public_page_needs_no_sign_in_and_is_small_vietnamese_and_script_free(
    desk: Any,
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(public(desk))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html and "Ông/bà hài lòng thế nào" in html
    assert "<script" not in html and desk.unit.name in html
    assert len(page.content) < 10_000
    assert "sessionid" not in page.cookies
    english = Client().get(public(desk) + "?lang=en")
    assert '<html lang="en">' in english.content.decode()


def test_an_answer_is_counted_once_per_browser(desk: Any) -> None:
    client = Client()
    sent = client.post(public(desk), GOOD)
    assert sent.status_code == 302 and sent["Location"] == f"/y-kien/{desk.token}/cam-on/"
    assert client.get(sent["Location"]).status_code == 200
    again = client.post(public(desk), GOOD)  # the signed cookie says it answered already
    assert again.status_code == 302
    stored = list(SurveyResponse.objects.filter(point=desk).order_by("id"))
    assert [r.counted for r in stored] == [True, False]
    assert stored[0].comment == "Nhanh, chu đáo" and stored[0].satisfaction == 5
    # A forged cookie is no cookie: counted.
    forged = Client()
    forged.cookies[f"ykien_{desk.pk}"] = "1"
    forged.post(public(desk), GOOD)
    assert SurveyResponse.objects.filter(point=desk, counted=True).count() == 2


@pytest.mark.parametrize(
    "form",
    [
        {},
        {**GOOD, "satisfaction": "6"},
        {**GOOD, "satisfaction": "٥"},
        {**GOOD, "attitude": "9" * 40},
        {**GOOD, "on_time": "maybe"},
        {**GOOD, "comment": "x" * 501},
    ],
)
def test_an_incomplete_or_odd_answer_is_a_form_error_and_stores_nothing(
    desk: Any, form: dict[str, str]
) -> None:
    page = Client().post(public(desk), form)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_wrong_or_closed_address_is_a_404(desk: Any, cast: Any) -> None:
    assert Client().get("/y-kien/khong-co/").status_code == 404
    desk.active = False
    desk.save()
    assert Client().get(public(desk)).status_code == 404
    assert Client().post(public(desk), GOOD).status_code == 404


@pytest.mark.slow
def test_a_flood_on_loopback_counts_at_most_the_allowed_number(desk: Any, settings: Any) -> None:
    settings.SURVEY_RATE_PER_ADDRESS = 10
    statuses: dict[int, int] = {}
    for _ in range(1000):
        client = Client(REMOTE_ADDR="127.0.0.1")  # a script: no cookie kept between requests
        status = client.post(public(desk), GOOD).status_code
        statuses[status] = statuses.get(status, 0) + 1
    assert statuses == {302: 10, 429: 990}
    assert SurveyResponse.objects.filter(point=desk).count() == 10
    assert desk.bursts.get().refused == 990


@pytest.mark.parametrize(
    ("query", "language", "when"),
    [
        ("", "vi", "chưa được ghi nhận; xin ông/bà gửi lại sau khoảng 60 phút."),
        (
            "?lang=en",
            "en",
            "This answer was not recorded; please send it again in about 60 minutes.",
        ),
    ],
)
def test_a_refused_answer_says_when_to_come_back_and_keeps_what_was_typed(
    desk: Any, settings: Any, query: str, language: str, when: str
) -> None:
    settings.SURVEY_RATE_PER_ADDRESS = 1
    Client().post(public(desk), GOOD)
    typed = {**GOOD, "satisfaction": "2", "comment": "Phải chờ <lâu> quá"}
    refused = Client().post(public(desk) + query, typed)
    assert refused.status_code == 429 and 3590 < int(refused["Retry-After"]) <= 3600
    assert refused["Content-Language"] == language
    html = refused.content.decode()
    assert f'<html lang="{language}">' in html
    alert = html.split('<p class="err" role="alert" id="busy">')[1].split("</p>")[0]
    assert alert.endswith(when)
    assert alert.index(when) > 0 and html.index(alert) < html.index("<form")  # above the form
    # The form again, as they filled it in, to send when the wait is over.
    assert f'<form method="post" action="{public(desk)}{query}">' in html
    assert 'name="satisfaction" value="2" id="id_satisfaction_3" checked' in html
    assert ">Phải chờ &lt;lâu&gt; quá</textarea>" in html
    assert SurveyResponse.objects.filter(point=desk).count() == 1


@pytest.mark.parametrize(("query", "language"), [("", "vi"), ("?lang=en", "en")])
def test_the_public_pages_say_in_their_headers_the_language_they_show(
    desk: Any, query: str, language: str
) -> None:
    """Whatever the phone asks for (Accept-Language: en): the page's own language."""
    phone = Client(HTTP_ACCEPT_LANGUAGE="en" if language == "vi" else "vi")
    for page in (phone.get(public(desk) + query), phone.post(public(desk) + query, {})):
        assert page["Content-Language"] == language
        assert f'<html lang="{language}">' in page.content.decode()
    thanks = phone.get(f"{public(desk)}cam-on/{query}")
    assert thanks["Content-Language"] == language


def test_the_survey_path_is_left_out_of_the_logs() -> None:
    keep = PrivatePathFilter()

    def access(line: str) -> logging.LogRecord:
        record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s", None, None)
        record.args = {"r": line}
        return record

    assert not keep.filter(access("POST /y-kien/abc/ HTTP/1.1"))
    assert keep.filter(access("GET /khao-sat/ HTTP/1.1"))
    server = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"%s" %s %s',
        ("GET /y-kien/x/ HTTP/1.1", 200, 5),
        None,
    )
    assert not keep.filter(server)
    # Both configurations apply it: Django's (settings.LOGGING) and gunicorn's.
    from django.conf import settings

    from config.logs import gunicorn_logging

    assert "private_paths" in settings.LOGGING["handlers"]["stdout"]["filters"]
    assert "private_paths" in gunicorn_logging("json", "info")["handlers"]["stdout"]["filters"]


def test_offices_manage_their_own_desks_only(org: Any, cast: Any) -> None:
    office = Client()
    office.force_login(cast.ward_office)
    page = office.get("/khao-sat/")
    assert page.status_code == 200
    units = re.findall(r'<option value="(\d+)"', page.content.decode())
    assert str(org.ward.pk) in units and str(org.tai_chinh.pk) not in units
    made = office.post("/khao-sat/", {"unit": org.ward.pk, "desk": "Quầy 1"})
    point = SurveyPoint.objects.get(desk="Quầy 1")
    assert made.status_code == 302 and made["Location"] == f"/khao-sat/{point.pk}/"
    refused = office.post("/khao-sat/", {"unit": org.tai_chinh.pk, "desk": "Quầy 1"})
    assert refused.status_code == 400 and SurveyPoint.objects.count() == 1
    other = Client()
    other.force_login(cast.department_office)
    assert other.get(f"/khao-sat/{point.pk}/").status_code == 404
    inspector = Client()
    inspector.force_login(cast.inspector)
    assert inspector.get("/khao-sat/").status_code == 403


def test_the_poster_carries_the_qr_code_of_the_public_page(desk: Any, cast: Any) -> None:
    office = Client()
    office.force_login(cast.ward_office)
    page = office.get(f"/khao-sat/{desk.pk}/ap-phich/").content.decode()
    url = survey_url(desk)
    assert qr_data_uri(url, scale=8) in page and f'href="{url}"' in page
    assert desk.unit.name in page
    pdf = office.get(f"/khao-sat/{desk.pk}/ap-phich.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_internal_affairs_sees_held_comments_the_office_does_not(desk: Any, cast: Any) -> None:
    held = answer(desk, 1, comment="đm chậm quá")
    shown = answer(desk, 5, comment="Rất tận tình", address="192.0.2.4")
    assert held is not None and shown is not None
    office = Client()
    office.force_login(cast.ward_office)
    page = office.get(f"/khao-sat/{desk.pk}/").content.decode()
    assert "Rất tận tình" in page and "đm chậm quá" not in page
    noivu = sign_in(cast.internal_affairs)
    assert "đm chậm quá" in noivu.get(f"/khao-sat/{desk.pk}/").content.decode()
    hidden = office.post(f"/khao-sat/y-kien/{shown.pk}/an/", {"reason": "Trùng lặp"})
    assert hidden.status_code == 302
    shown.refresh_from_db()
    assert shown.comment_status == "hidden" and shown.hidden_reason == "Trùng lặp"
    page = office.get(f"/khao-sat/{desk.pk}/").content.decode()
    assert "Rất tận tình" not in page and "Trùng lặp" in page
    # A held comment is Internal Affairs' to read first: the office neither releases nor hides it.
    assert office.post(f"/khao-sat/y-kien/{held.pk}/hien/").status_code == 403
    assert office.post(f"/khao-sat/y-kien/{held.pk}/an/", {"reason": "x"}).status_code == 403
    held.refresh_from_db()
    assert held.comment_status == "held"
    assert noivu.post(f"/khao-sat/y-kien/{held.pk}/hien/").status_code == 302
    held.refresh_from_db()
    assert held.comment_status == "shown"


def test_the_overview_is_for_internal_affairs_and_leaders(desk: Any, cast: Any) -> None:
    leader = Client()
    leader.force_login(cast.leader)
    assert leader.get("/khao-sat/tong-hop/").status_code == 200
    office = Client()
    office.force_login(cast.ward_office)
    assert office.get("/khao-sat/tong-hop/").status_code == 403


@pytest.fixture
def draft(open_round: Any, org: Any, cast: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _created = inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return inspection


def test_the_checklist_offers_d2_and_accepting_saves_it_with_evidence(
    desk: Any, draft: Any, cast: Any
) -> None:
    client = Client()
    client.force_login(cast.inspector)
    answers(desk, [5, 5])
    page = client.get(f"/phieu/{draft.pk}/").content.decode()
    assert "cần ít nhất 3" in page
    answers(desk, [4])
    page = client.get(f"/phieu/{draft.pk}/").content.decode()
    assert "Dùng 100,0% kèm minh chứng" in page
    summary = client.get(f"/phieu/{draft.pk}/chi-so/D2/tong-hop.pdf")
    assert summary.content.startswith(b"%PDF-")
    done = client.post(f"/phieu/{draft.pk}/chi-so/D2/dung/")
    assert done.status_code == 302 and done["Location"].endswith("#c-D2")
    assert Answer.objects.get(inspection=draft, criterion__code="D2").number == Decimal("100.0")
    assert EvidencePhoto.objects.filter(inspection=draft, criterion__code="D2").count() == 1
    assert "Đã dùng giá trị đề xuất" in client.get(f"/phieu/{draft.pk}/").content.decode()


def test_others_cannot_accept_and_other_codes_have_no_proposal(
    desk: Any, draft: Any, cast: Any
) -> None:
    answers(desk, [5, 5, 5])
    other = Client()
    other.force_login(cast.other_inspector)
    assert other.post(f"/phieu/{draft.pk}/chi-so/D2/dung/").status_code == 404
    mine = Client()
    mine.force_login(cast.inspector)
    assert mine.post(f"/phieu/{draft.pk}/chi-so/A1/dung/").status_code == 404
    refused = mine.post(f"/phieu/{draft.pk}/chi-so/D2/khac/", {"value": "80", "note": ""})
    assert refused.status_code == 400
    assert not Answer.objects.filter(inspection=draft).exists()


def test_a_refused_override_shows_the_form_again_with_each_problem_beside_its_field(
    desk: Any, draft: Any, cast: Any
) -> None:
    answers(desk, [5, 5, 5])
    mine = Client()
    mine.force_login(cast.inspector)
    typed = {"value": "①", "note": "Có thêm phiếu giấy"}
    refused = mine.post(f"/phieu/{draft.pk}/chi-so/D2/khac/", typed)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="ov-D2" name="value"' in page and 'aria-invalid="true"' in page
    assert "Có thêm phiếu giấy</textarea>" in page  # the reason typed is not lost
    assert not Answer.objects.filter(inspection=draft).exists()
    no_reason = mine.post(f"/phieu/{draft.pk}/chi-so/D2/khac/", {"value": "80", "note": " "})
    assert no_reason.status_code == 400
    assert 'id="ovn-D2-error"' in no_reason.content.decode()
    saved = mine.post(f"/phieu/{draft.pk}/chi-so/D2/khac/", {"value": "80", "note": "Phiếu giấy"})
    assert saved.status_code == 302 and saved["Location"].endswith("#c-D2")
    mine.post(f"/phieu/{draft.pk}/chi-so/D2/khac/", {"value": "80", "note": "Phiếu giấy"})
    assert Answer.objects.get(inspection=draft, criterion__code="D2").number == Decimal("80.0")
