"""The site's URLs plus four views that fail on purpose, for the error page tests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site
from inspections.errors import DomainError, Problem

SECRET = "chi-tiet-noi-bo-khong-duoc-lo-ra"


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


def crash_with_reference(request: HttpRequest) -> HttpResponse:
    request.request_id = "a1b2c3d4"  # type: ignore[attr-defined]  # as the request-id middleware
    raise RuntimeError(SECRET)


def bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest("Tham số “trang” không hợp lệ.")


def refuse(request: HttpRequest, problem: str, code: str) -> HttpResponse:
    """A refusal that no view catches, as a service raises it."""
    raise DomainError("Lý do từ dịch vụ: không được.", problem=Problem(problem), code=code)


def broken_context_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("a context processor that fails")


urlpatterns = [
    path("loi/", crash),
    path("loi-co-ma/", crash_with_reference),
    path("yeu-cau-sai/", bad_request),
    path("tu-choi/<str:problem>/<str:code>/", refuse),
    *site,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
