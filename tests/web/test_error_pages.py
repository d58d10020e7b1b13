"""Every web error is a page in the site's layout, in the reader's language, declared UTF-8."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from api.errors import exception_handler
from inspections.errors import STATUS_BY_CODE, DomainError, Problem, TooMany, http_status
from inspections.models import CorrectiveAction
from tests.accounts import sign_in
from tests.factories import make_user
from tests.inspections.builders import approved_inspection
from tests.web.error_urls import SECRET
from web.middleware import DomainErrorMiddleware

pytestmark = pytest.mark.urls("tests.web.error_urls")

LANGUAGES = ["vi", "en"]
TITLES = {
    400: {"vi": "Yêu cầu không hợp lệ", "en": "Bad request"},
    403: {"vi": "Không có quyền truy cập", "en": "Access denied"},
    404: {"vi": "Không tìm thấy trang", "en": "Page not found"},
    409: {"vi": "Chưa thực hiện được lúc này", "en": "Not possible right now"},
    413: {"vi": "Tệp quá lớn", "en": "File too large"},
    415: {"vi": "Loại tệp không được hỗ trợ", "en": "File type not supported"},
    429: {"vi": "Đăng nhập sai quá nhiều lần", "en": "Too many failed sign-ins"},
    500: {"vi": "Đã xảy ra lỗi", "en": "Something went wrong"},
}
HOME = {"vi": "Về trang chủ", "en": "Go to the home page"}


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    """What production shows: with DEBUG on, Django shows its technical pages instead."""
    settings.DEBUG = False


def reader(language: str, user: Any = None, **options: Any) -> Client:
    client = Client(**options)
    if user is not None:
        sign_in(user, client)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def error_page(response: HttpResponse, status: int, language: str) -> str:
    """The page's HTML, once its status, charset, layout, language and title are checked."""
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode("utf-8")
    # The layout itself (the fallback of a broken layout has neither).
    assert '<header class="top">' in html and "/static/css/app.css" in html
    assert f'<html lang="{language}">' in html
    assert f'<h1 id="error-title">{TITLES[status][language]}</h1>' in html
    return html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_is_a_404_page_with_a_way_home(db: Any, language: str) -> None:
    html = error_page(reader(language).get("/khong-co-trang-nay/"), 404, language)
    assert f'href="/">{HOME[language]}</a>' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_object_is_a_404_page_without_djangos_developer_message(
    cast: Any, language: str
) -> None:
    response = reader(language, cast.internal_affairs).get(reverse("round", args=[999999]))
    html = error_page(response, 404, language)
    assert "matches the given query" not in html


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("vi", "Chỉ Phòng Nội vụ được thực hiện thao tác này."),
        ("en", "Only Internal Affairs may perform this action."),
    ],
)
def test_a_403_page_shows_the_reason_the_policy_gave(cast: Any, language: str, reason: str) -> None:
    response = reader(language, cast.leader).post(reverse("rounds"), {"name": "Quý I"})
    html = error_page(response, 403, language)
    assert reason in html


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("vi", "Chỉ đơn vị được yêu cầu mới báo cáo khắc phục."),
        ("en", "Only the unit concerned may report a correction."),
    ],
)
def test_a_403_page_shows_the_reason_the_service_gave(
    open_round: Any, org: Any, cast: Any, language: str, reason: str
) -> None:
    approved = approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
        flagged=["A1"],
    )
    action = CorrectiveAction.objects.get(inspection=approved)
    url = reverse("unit-action-respond", args=["PANLAC", action.pk])
    html = error_page(reader(language, cast.leader).post(url, {"note": "Đã dọn"}), 403, language)
    assert reason in html
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


@pytest.mark.parametrize(
    ("language", "reason"), [("vi", "Bộ lọc không hợp lệ."), ("en", "Invalid filter.")]
)
def test_a_bad_request_is_a_400_page_with_the_selectors_reason(
    cast: Any, language: str, reason: str
) -> None:
    response = reader(language, cast.ward_office).get(reverse("commitments") + "?nam=abc")
    assert reason in error_page(response, 400, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_request_raised_by_a_view_is_a_400_page_with_its_reason(
    db: Any, language: str
) -> None:
    html = error_page(reader(language).get("/yeu-cau-sai/"), 400, language)
    assert "Tham số “trang” không hợp lệ." in html


def test_a_forged_host_is_a_400_page_that_does_not_echo_it(db: Any) -> None:
    response = Client(HTTP_HOST="ke-gian.example").get("/dang-nhap/")
    html = error_page(response, 400, "vi")
    assert "ke-gian.example" not in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("problem", "code", "status"),
    [
        ("invalid", "invalid", 400),
        ("forbidden", "forbidden", 403),
        ("not_found", "not_found", 404),
        ("wrong_state", "wrong_state", 409),
        ("invalid", "too_large", 413),
        ("invalid", "too_many_pixels", 413),
        ("invalid", "decompression_bomb", 413),
        ("invalid", "unsupported", 415),
    ],
)
def test_a_refusal_no_view_caught_is_the_page_of_its_status_with_the_services_message(
    db: Any, language: str, problem: str, code: str, status: int
) -> None:
    response = reader(language).get(f"/tu-choi/{problem}/{code}/")
    html = error_page(response, status, language)
    assert "Lý do từ dịch vụ: không được." in html
    assert f'href="/">{HOME[language]}</a>' in html


@pytest.mark.parametrize(
    "error",
    [DomainError("x", problem=problem) for problem in Problem]
    + [DomainError("x", code=code) for code in STATUS_BY_CODE]
    + [TooMany("x", wait=2.5, code="too_many_wait")],
    ids=lambda error: error.code,
)
def test_the_api_and_the_pages_read_one_table(error: DomainError) -> None:
    page = DomainErrorMiddleware(lambda request: HttpResponse()).process_exception(
        RequestFactory().get("/"), error
    )
    api = exception_handler(error, {})
    assert page is not None and api is not None
    assert page.status_code == api.status_code == http_status(error)
    assert page.get("Retry-After") == api.get("Retry-After")
    if isinstance(error, TooMany):
        assert page["Retry-After"] == "3"  # rounded up, on both doors


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_is_a_500_page_without_detail_and_without_the_database(
    language: str,
) -> None:
    """No `db` fixture: a query while rendering this page would fail the test."""
    response = reader(language, raise_request_exception=False).get("/loi/")
    html = error_page(response, 500, language)
    assert SECRET not in html and "RuntimeError" not in html and "Traceback" not in html
    # The reference is the request id the middleware gave, the one the log and the header carry.
    assert f"<code>{response['X-Request-ID']}</code>" in html
    assert f'href="/">{HOME[language]}</a>' in html


def test_the_500_page_gives_the_requests_reference(db: Any) -> None:
    response = Client(raise_request_exception=False).get("/loi-co-ma/")
    html = error_page(response, 500, "vi")
    assert "Mã tham chiếu: <code>a1b2c3d4</code>" in html
    assert SECRET not in html


def test_the_500_page_holds_when_a_context_processor_fails(db: Any, settings: Any) -> None:
    engine = {**settings.TEMPLATES[0]}
    processors = [*engine["OPTIONS"]["context_processors"]]
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [*processors, "tests.web.error_urls.broken_context_processor"],
    }
    settings.TEMPLATES = [engine]
    response = Client(raise_request_exception=False).get("/loi/")
    assert SECRET not in error_page(response, 500, "vi")


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("vi", "Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn."),
        ("en", "The form is out of date or your session has expired."),
    ],
)
def test_a_stale_form_is_a_403_page_not_djangos_csrf_page(
    db: Any, language: str, reason: str
) -> None:
    client = reader(language, enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    html = error_page(response, 403, language)
    assert reason in html and "CSRF" not in html


@pytest.fixture
def locked_out(db: Any, settings: Any) -> Any:
    """Three failed sign-ins of one username from the test client's address."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_user("kiemtra9", None, None)

    def sign_in(client: Client) -> HttpResponse:
        return client.post(reverse("login"), {"username": "kiemtra9", "password": "sai"})

    for _ in range(3):
        sign_in(Client())
    return sign_in


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize(
    ("language", "text", "retrying"),
    [
        ("vi", "Bạn có thể đăng nhập lại từ", "Mỗi lần thử lại trước giờ đó sẽ lùi giờ này thêm."),
        ("en", "You can sign in again from", "Each attempt before then moves this time later."),
    ],
)
def test_a_locked_out_sign_in_is_a_429_page_saying_when_it_ends(
    locked_out: Any, language: str, text: str, retrying: str
) -> None:
    response = locked_out(reader(language))
    html = error_page(response, 429, language)
    assert retrying in html
    ends = local(AccessAttempt.objects.get().attempt_time + datetime.timedelta(hours=1))
    on = "ngày" if language == "vi" else "on"
    assert f"{text} <time" in html
    assert f">{ends:%H:%M} {on} {ends:%d/%m/%Y}</time>" in html
    assert 3500 < int(response["Retry-After"]) <= 3600
    assert 'href="/dang-nhap/"' in html  # the way back


def test_the_lockout_end_is_counted_from_the_last_counted_failure(
    locked_out: Any, settings: Any
) -> None:
    """Axes by default counts a retry while locked (the hour starts again); without that,
    the page still says when the lockout really ends."""
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=20))
    response = locked_out(Client())
    html = error_page(response, 429, "vi")
    assert "(khoảng 40 phút nữa)" in html
    assert 39 * 60 < int(response["Retry-After"]) <= 40 * 60
    assert "Mỗi lần thử lại trước giờ đó" not in html


def test_a_retry_while_locked_out_starts_the_lockout_again(locked_out: Any) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=20))
    response = locked_out(Client())
    html = error_page(response, 429, "vi")
    assert "(khoảng 60 phút nữa)" in html
    assert 3500 < int(response["Retry-After"]) <= 3600
