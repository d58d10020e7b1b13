"""The edge every request crosses, for both doors: what reaches a view has been checked.

- a path or a query value with a control character (NUL first: PostgreSQL refuses it in text)
  is a 400 naming the field; form values may hold tabs and line breaks, nothing else;
- a body is bounded before it is read: refused by its announced length (over the request
  limit: 413, never read), a file stopped at the first chunk past the per-file limit, and a
  body without a length (chunked) refused with a 411 (Django would read it as empty);
- too many fields or files is a 400, a form field over DATA_UPLOAD_MAX_MEMORY_SIZE a 413.

JSON bodies are checked by the API's parsers (api/parsers.py) with the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from inspections.errors import DomainError
from inspections.numbers import ascii_int
from inspections.photos import check_upload_size, max_bytes

# C0 and C1 controls, DEL, and lone surrogates (JSON "\ud800": no database can store one).
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, but a multi-line text keeps its tabs and line breaks.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_WITHOUT_BODY = ("GET", "HEAD", "OPTIONS", "TRACE")  # a body there is never read: not checked


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    pattern = _CONTROL_IN_TEXT if multiline else _ANY_CONTROL
    return pattern.search(text) is not None


def printable(name: str) -> str:
    """A field name fit to be shown back: control characters written as \\u0000."""
    return _ANY_CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", name)


def control_message() -> str:
    return _("Không được chứa ký tự điều khiển (như NUL).")


def text_problems(
    pairs: Iterable[tuple[str, Iterable[object]]], *, multiline: bool
) -> dict[str, list[str]]:
    """{field: [message]} for each field whose name, or one of whose values, holds a control
    character; names never may, values only tabs and line breaks when `multiline`."""
    problems: dict[str, list[str]] = {}
    for name, values in pairs:
        bad = has_control_characters(name) or any(
            isinstance(value, str) and has_control_characters(value, multiline=multiline)
            for value in values
        )
        if bad:
            problems[printable(name)] = [control_message()]
    return problems


class IdConverter:
    """<id:pk> in a URL: 1 to 19 ASCII digits within a database id's range (else a 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = ascii_int(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: object) -> str:
        return str(value)


class UploadTooLarge(DomainError):
    """A file past the per-file limit, stopped while it was being read (a 413)."""


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes each chunk on to the memory or temporary-file
    handler, and stops the upload at the first chunk that takes a file past the limit."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        size = start + len(raw_data)
        if size > max_bytes():
            try:
                check_upload_size(size, field=self.field_name or "file")
            except DomainError as refused:
                raise UploadTooLarge(
                    refused.message, fields=refused.fields, code=refused.code
                ) from None
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@dataclass(frozen=True)
class Refusal:
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, "errors": self.errors}


def invalid(errors: dict[str, list[str]]) -> Refusal:
    return Refusal(400, _("Dữ liệu không hợp lệ."), "invalid", errors)


def refusal_for(exc: BaseException) -> Refusal | None:
    """The answer to an error Django or DRF raised while reading a body, if it is one of these
    (the API's exception handler asks too: DRF parses a PUT's form itself)."""
    if isinstance(exc, UploadTooLarge):
        return Refusal(413, exc.message, exc.code, {k: list(v) for k, v in exc.fields.items()})
    if isinstance(exc, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        text = _("Quá nhiều trường dữ liệu (tối đa %(limit)s).") % {"limit": limit}
        return Refusal(400, text, "too_many_fields", {"non_field_errors": [text]})
    if isinstance(exc, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        text = _("Quá nhiều tệp trong một lần gửi (tối đa %(limit)s).") % {"limit": limit}
        return Refusal(400, text, "too_many_files", {"non_field_errors": [text]})
    if isinstance(exc, RequestDataTooBig):
        return _too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exc, MultiPartParserError | UnreadablePostError):
        return _malformed()
    return None


def _malformed() -> Refusal:
    text = _("Dữ liệu gửi lên bị hỏng, không đọc được.")
    return Refusal(400, text, "malformed", {"non_field_errors": [text]})


def _too_large(limit: int) -> Refusal:
    text = _("Dữ liệu gửi lên vượt quá giới hạn %(limit)s MB.") % {
        "limit": f"{limit / (1024 * 1024):g}"
    }
    return Refusal(413, text, "too_large")


def content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def body_limit(request: HttpRequest) -> int | None:
    """Multipart bodies (files) up to UPLOAD_MAX_REQUEST_BYTES; any other body as Django
    bounds a form read into memory, DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads JSON whole)."""
    if request.content_type == "multipart/form-data":
        return int(settings.UPLOAD_MAX_REQUEST_BYTES)
    memory: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return memory


def check_request(request: HttpRequest) -> Refusal | None:
    """Everything about a request that is refused before any view sees it."""
    if has_control_characters(request.path_info):
        return invalid({"path": [control_message()]})
    try:
        query = request.GET
    except TooManyFieldsSent as exc:
        return refusal_for(exc)
    problems = text_problems(query.lists(), multiline=False)
    if problems:
        return invalid(problems)
    return check_body(request)


def check_body(request: HttpRequest) -> Refusal | None:
    if request.method in _WITHOUT_BODY:
        return None
    if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
        text = _("Cần gửi kèm độ dài dữ liệu (Content-Length).")
        return Refusal(411, text, "length_required")
    limit = body_limit(request)
    if limit is not None and content_length(request) > limit:
        return _too_large(limit)
    if request.method != "POST" or request.content_type not in _FORMS:
        return None
    # Read the form here, not in the CSRF check or the view: every refusal is answered alike.
    try:
        posted, files = request.POST, request.FILES
    except (
        UploadTooLarge,
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent,
        BadRequest,
        MultiPartParserError,
        UnreadablePostError,
    ) as exc:
        # Django marks only some of these: a later look at request.POST must not parse again.
        request._mark_post_parse_error()  # type: ignore[attr-defined]
        # BadRequest: a form that names a charset other than UTF-8.
        return _malformed() if isinstance(exc, BadRequest) else refusal_for(exc)
    problems = text_problems(posted.lists(), multiline=True)
    problems.update(text_problems(((name, ()) for name in files), multiline=False))
    return invalid(problems) if problems else None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """JSON for the API ({"detail", "code", "errors"}); for the web, the error page that
    INPUT_REFUSAL_VIEW names (like CSRF_FAILURE_VIEW), with the field messages as its reason."""
    if is_api(request):
        # UTF-8 as it is, like DRF's renderer: the same bytes whichever layer refused.
        return JsonResponse(
            refusal.body(), status=refusal.status, json_dumps_params={"ensure_ascii": False}
        )
    page: Callable[[HttpRequest, int, str], HttpResponse] = import_string(
        settings.INPUT_REFUSAL_VIEW
    )
    details = [m for messages in refusal.errors.values() for m in messages if m != refusal.detail]
    return page(request, refusal.status, " ".join([refusal.detail, *dict.fromkeys(details)]))


class InputsMiddleware:
    """Refuses what check_request refuses, before CSRF, the view or a parser reads a byte.

    After LocaleMiddleware (messages in the request's language) and CSPMiddleware (the page
    keeps its headers); no middleware before it reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = check_request(request)
        if refusal is not None:
            return refusal_response(request, refusal)
        return self.get_response(request)
