"""Where a refused action that no view caught becomes its error page, and a sign-in refused
by the limit per address becomes its 429 page (the API answers both in JSON itself)."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections.errors import DomainError, http_status
from inspections.ratelimits import login_wait
from web.errors import HTML, error_page, message_of


class DomainErrorMiddleware:
    """An uncaught DomainError: the status from the one table, the service's message shown.

    The API never gets here: its views answer through api/errors.exception_handler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return error_page(request, http_status(exception), message_of(exception))


class LoginRateLimitMiddleware:
    """The sign-in form cannot tell "wrong password" from "too many attempts": the backend
    that refused (inspections.ratelimits) leaves the wait on the request, and the page the
    form gave is replaced here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        wait = login_wait(request)
        if wait is None or request.path.startswith("/api/"):
            return response
        seconds = max(1, math.ceil(wait))
        page = render(
            request,
            "errors/too_many_logins.html",
            {"seconds": seconds, "back": request.get_full_path()},
            status=429,
            content_type=HTML,
        )
        page["Retry-After"] = str(seconds)
        return page
