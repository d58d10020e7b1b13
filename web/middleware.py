"""One place where a refused action that no view caught becomes its error page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from inspections.errors import DomainError, http_status
from web.errors import error_page, message_of


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
