"""One exception handler: every refusal becomes {"detail", "code", "errors"} with its status."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest
from django.utils.log import log_response
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from config.inputs import refusal_for
from config.logs import request_id_var
from inspections.errors import DomainError, http_headers, http_status

# The body of every error response ("errors" cannot be a declared field: Serializer.errors).
ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


def error_body(
    detail: str, code: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # A body DRF parsed itself (a PUT form, say): too many fields, a file past the limit.
    refusal = refusal_for(exc)
    if refusal is not None:
        return Response(refusal.body(), status=refusal.status)
    if isinstance(exc, DomainError):
        fields = {str(k): [str(m) for m in v] for k, v in exc.fields.items()}
        return Response(
            error_body(exc.message, exc.code, fields),
            status=http_status(exc),
            headers=http_headers(exc),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Không tìm thấy."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None if settings.DEBUG else server_error(exc, context)
    if not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            _("Dữ liệu không hợp lệ."), "invalid", flatten_errors(exc.detail)
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = error_body(str(exc.detail), code)
    return response


def server_error(exc: Exception, context: dict[str, Any]) -> Response:
    """A bug: JSON with the request id the log carries, logged and signalled as Django does
    for one it catches itself (the traceback in the log, the test client re-raising it)."""
    request = context.get("request")
    django_request: HttpRequest | None = getattr(request, "_request", None)
    request_id = getattr(django_request, "request_id", None) or request_id_var.get()
    message = _("Lỗi máy chủ. Vui lòng thử lại sau; nếu lỗi lặp lại, hãy báo mã %(id)s.")
    response = Response(
        {**error_body(message % {"id": request_id}, "server_error"), "request_id": request_id},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    set_rollback()
    if django_request is not None:
        log_response(
            "%s: %s",
            "Internal Server Error",
            django_request.path,
            response=response,
            request=django_request,
            exception=exc,
        )
        got_request_exception.send(sender=None, request=django_request)
    return response


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub.0": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    key = prefix or "non_field_errors"
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {key: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                flat.update(flatten_errors(item, f"{key}.{index}"))
            else:
                flat.setdefault(key, []).append(str(item))
        return flat
    return {key: [str(detail)]}
