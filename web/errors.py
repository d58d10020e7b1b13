"""Error pages in the site's layout, in the reader's language, and the URLconf's handlers.

The status of a refused action comes from the one table in inspections/errors.py (applied by
`refusal_page`, the only place that answers a web refusal of something asked too often); a view that
re-shows its form with the posted values asks `form_refusal` first, so a refusal the form
cannot fix (forbidden, not found) still ends on its error page.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from inspections.errors import DomainError, http_headers, http_status

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"

# The page's heading and what the reader can do about it, per status.
PAGES = {
    HTTPStatus.BAD_REQUEST: (
        gettext_lazy("Yêu cầu không hợp lệ"),
        gettext_lazy("Hệ thống không hiểu yêu cầu này. Hãy quay lại trang trước và thử lại."),
    ),
    HTTPStatus.FORBIDDEN: (
        gettext_lazy("Không có quyền truy cập"),
        gettext_lazy("Bạn không được xem trang này hoặc thực hiện thao tác này."),
    ),
    HTTPStatus.NOT_FOUND: (
        gettext_lazy("Không tìm thấy trang"),
        gettext_lazy(
            "Trang hoặc dữ liệu bạn tìm không có, đã được chuyển đi, hoặc bạn không có quyền xem."
        ),
    ),
    HTTPStatus.CONFLICT: (
        gettext_lazy("Chưa thực hiện được lúc này"),
        gettext_lazy("Thao tác không phù hợp với trạng thái hiện tại của dữ liệu."),
    ),
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: (
        gettext_lazy("Tệp quá lớn"),
        gettext_lazy("Tệp gửi lên vượt quá dung lượng cho phép. Hãy chọn tệp nhỏ hơn."),
    ),
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: (
        gettext_lazy("Loại tệp không được hỗ trợ"),
        gettext_lazy("Hệ thống không đọc được loại tệp này. Hãy chọn ảnh hoặc tệp PDF."),
    ),
    HTTPStatus.TOO_MANY_REQUESTS: (
        gettext_lazy("Quá nhiều yêu cầu"),
        # The reason above it (a TooMany's message) says when to come back.
        gettext_lazy("Việc này có giới hạn số lần trong một khoảng thời gian."),
    ),
    HTTPStatus.INTERNAL_SERVER_ERROR: (
        pgettext_lazy("error page", "Đã xảy ra lỗi"),
        gettext_lazy("Hệ thống gặp sự cố ngoài ý muốn. Hãy thử lại sau ít phút."),
    ),
}


def message_of(error: DomainError) -> str:
    """The message with its details: "Giá trị không hợp lệ… Mức phải là số nguyên…"."""
    details = [str(m) for messages in error.fields.values() for m in messages]
    details = [d for d in details if d not in error.message]
    return " ".join([error.message, *details])


def form_refusal(error: DomainError) -> HTTPStatus:
    """The status of a refusal the page shows beside its form. One the form cannot fix
    (forbidden, not found) is raised again, for the middleware's error page."""
    status = http_status(error)
    if status in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND):
        raise error
    return status


def error_page(
    request: HttpRequest, status: int, reason: str = "", more: dict[str, Any] | None = None
) -> HttpResponse:
    """The error page of a status, with the reason the service or the policy gave if any;
    `more` may give the way back (`back`, `back_label`) where the home page is the wrong one."""
    status = HTTPStatus(status)
    title, explanation = PAGES.get(status, PAGES[HTTPStatus.BAD_REQUEST])
    context = {
        **(more or {}),
        "status": status.value,
        "title": title,
        "explanation": explanation,
        "reason": reason,
    }
    return render(request, "errors/page.html", context, status=status, content_type=HTML)


def refusal_page(
    request: HttpRequest,
    error: DomainError,
    template: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page of a refused action: its status and headers (Retry-After for TooMany) from the
    one table; a page of its own (the lockout's, the survey's form) where the generic one says
    too little, given the service's message as `reason`. The generic page takes its way back
    from `context` (`back`, `back_label`)."""
    status = http_status(error)
    if not template:
        page = error_page(request, status, message_of(error), context)
    else:
        context = {"status": status.value, "reason": message_of(error), **(context or {})}
        page = render(request, template, context, status=status, content_type=HTML)
    for header, value in http_headers(error).items():
        page[header] = value
    return page


def _reason(exception: Exception | None) -> str:
    """A message our own code gave its exception (PermissionDenied("Chỉ Phòng Nội vụ…"))."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return str(exception.args[0])


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A SuspiciousOperation's message names what was wrong with the request (a forged
    # host, a tampered cookie): for the log, not for the page.
    reason = _reason(exception) if isinstance(exception, BadRequest) else ""
    return error_page(request, HTTPStatus.BAD_REQUEST, reason)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, HTTPStatus.FORBIDDEN, _reason(exception))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's own 404 messages (a URL nobody routes, "No Round matches the given query.")
    # are for developers, so the page gives its own explanation only.
    return error_page(request, HTTPStatus.NOT_FOUND)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a form left open past its session, not an attack."""
    return error_page(
        request,
        HTTPStatus.FORBIDDEN,
        _("Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn. Hãy tải lại trang rồi gửi lại."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """No detail, and nothing that can fail again: no database, no context processors."""
    title, explanation = PAGES[HTTPStatus.INTERNAL_SERVER_ERROR]
    context: dict[str, Any] = {
        "status": 500,
        "title": title,
        "explanation": explanation,
        "request_id": getattr(request, "request_id", None),
    }
    try:
        body = loader.get_template("errors/500.html").render(context)
    except Exception:  # the layout itself is broken: a bare page, still in the language
        logger.exception("The 500 page could not be rendered")
        reference = context["request_id"]
        body = (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"</head><body><h1>{escape(title)}</h1><p>{escape(explanation)}</p>"
            + (f"<p>{escape(_('Mã tham chiếu'))}: {escape(reference)}</p>" if reference else "")
            + f'<p><a href="/">{escape(_("Về trang chủ"))}</a></p></body></html>'
        )
    return HttpResponse(body, status=500, content_type=HTML)
