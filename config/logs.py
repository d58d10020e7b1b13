"""Logs an operator can use: one record a line on stdout, each with the id of its request.

LOG_FORMAT=json (the default when DEBUG is off) writes one JSON object a line for a log
collector; LOG_FORMAT=text is for a developer's terminal. Every request gets an id (a sane
X-Request-ID from the proxy, or a new one), returned in the X-Request-ID response header,
shown on the error pages and written into every record logged while it runs.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
NO_REQUEST = "-"
# What we accept from outside: nginx's $request_id, a UUID, a client's own trace id. Anything
# else (spaces, quotes, control characters, very long) is replaced rather than logged.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,99}")

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_for(incoming: str | None) -> str:
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later record and every response carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record: the running request's, else the one the record is
    about (Django logs a 4xx or 5xx response after the middleware has returned)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = request_id_var.get()
            if request_id == NO_REQUEST:
                request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
            record.request_id = request_id
        return True


# Paths whose requests are never logged: the citizens' survey keeps no trace of who answered.
PRIVATE_PATH_PREFIXES = ("/y-kien/",)


def is_private_path(path: str) -> bool:
    return path.startswith(PRIVATE_PATH_PREFIXES)


class PrivatePathFilter(logging.Filter):
    """Drops the records about a private path: gunicorn's access line, Django's 4xx warning,
    the development server's line. (The survey's own records name no address either.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str):
            return not is_private_path(path)
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            line = str(record.args.get("r", ""))  # "POST /y-kien/abc/ HTTP/1.1"
            parts = line.split(" ")
            return not (len(parts) > 1 and is_private_path(parts[1]))
        if record.name == "django.server" and record.args:
            first = record.args[0] if isinstance(record.args, tuple) else ""
            parts = str(first).split(" ")
            return not (len(parts) > 1 and is_private_path(parts[1]))
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):  # a handler configured without the filter
            record.request_id = NO_REQUEST
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, and where they
    apply the request's method and path, the status, and the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "pid": record.process,  # which gunicorn worker
        }
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            entry["method"] = request.method
            entry["path"] = request.path
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            entry["status"] = status_code
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """gunicorn's access-log atoms as fields, the request id read off the response header."""
    fields: dict[str, Any] = {
        "remote": atoms["h"],
        "request": atoms["r"],
        "bytes": atoms["b"],
        "duration_ms": atoms["M"],
        "user_agent": atoms["a"],
        "request_id": atoms["{x-request-id}o"],
    }
    try:
        fields["status"] = int(atoms["s"])
    except (TypeError, ValueError):
        fields["status"] = atoms["s"]
    return fields


def gunicorn_logging(log_format: str, level: str) -> dict[str, Any]:
    """gunicorn's own records (start-up, worker deaths, access lines) in the same format."""
    formatter = {"()": f"config.logs.{'Json' if log_format == 'json' else 'Text'}Formatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.logs.RequestIdFilter"},
            "private_paths": {"()": "config.logs.PrivatePathFilter"},
        },
        "formatters": {"app": formatter},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "app",
                "filters": ["private_paths", "request_id"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
