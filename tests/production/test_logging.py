"""Logs an operator can use: each request's id in the response and in every record; a 500 in
production leaves its traceback, with that id, on stdout."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from config.logs import JsonFormatter, RequestIdFilter, TextFormatter, request_id_for
from config.settings import env_admins
from tests.production.test_deploy import ROOT, production_env

FAILING_URLS = "tests.production.failing_urls"

_PRODUCTION_500 = """
import json, sys
import django
django.setup()
from django.test import Client, override_settings
with override_settings(ROOT_URLCONF="tests.production.failing_urls"):
    client = Client(raise_request_exception=False, HTTP_HOST="congsoxanh.example.vn")
    page = client.get("/hong/", HTTP_X_REQUEST_ID="req-trang-0001", secure=True)
    api = client.get("/api/v1/hong/", secure=True)
print(json.dumps({
    "page": [page.status_code, page["X-Request-ID"]],
    "api": [api.status_code, api["X-Request-ID"], json.loads(api.content)],
}), file=sys.stderr)
"""


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_500_in_production_is_logged_as_json_with_its_traceback_and_request_id(
    tmp_path: Any,
) -> None:
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.pop("LOG_FORMAT", None)  # the production default: JSON
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_500],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stderr.strip().splitlines()[-1])
    records = _json_lines(result.stdout)
    assert records, result.stdout
    errors = [r for r in records if r["level"] == "ERROR" and r["logger"] == "django.request"]

    page_status, page_id = answers["page"]
    assert (page_status, page_id) == (500, "req-trang-0001")
    (page_error,) = [r for r in errors if r["path"] == "/hong/"]
    assert page_error["request_id"] == "req-trang-0001"
    assert page_error["status"] == 500
    assert "Traceback" in page_error["exception"]
    assert "RuntimeError: trang hỏng để thử nhật ký" in page_error["exception"]

    api_status, api_id, api_body = answers["api"]
    assert api_status == 500
    assert len(api_id) == 32  # none was sent: a new one
    assert api_body["code"] == "server_error"
    assert api_body["request_id"] == api_id
    assert api_id in api_body["detail"]
    (api_error,) = [r for r in errors if r["path"] == "/api/v1/hong/"]
    assert api_error["request_id"] == api_id
    assert "ZeroDivisionError: api hỏng để thử nhật ký" in api_error["exception"]
    assert "Traceback" not in json.dumps(api_body)  # the details stay in the log


@pytest.fixture
def request_log() -> Any:
    """What django.request writes, through the configured filter and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def test_an_api_bug_answers_json_with_the_id_and_logs_it(settings: Any, request_log: Any) -> None:
    settings.ROOT_URLCONF = FAILING_URLS
    response = APIClient(raise_request_exception=False).get(
        "/api/v1/hong/", HTTP_X_REQUEST_ID="abc.DEF_123-456"
    )
    assert response.status_code == 500
    assert response["X-Request-ID"] == "abc.DEF_123-456"
    assert json.loads(response.content)["request_id"] == "abc.DEF_123-456"
    (record,) = _json_lines(request_log.getvalue())
    assert record["request_id"] == "abc.DEF_123-456"
    assert "ZeroDivisionError" in record["exception"]


def test_the_test_client_still_raises_an_api_bug(settings: Any) -> None:
    settings.ROOT_URLCONF = FAILING_URLS
    with pytest.raises(ZeroDivisionError):
        APIClient().get("/api/v1/hong/")


@pytest.mark.parametrize(
    "incoming",
    ["", "short", "có dấu-12345678", "id with spaces", "x" * 101, "a\nb-123456789", '"><script>'],
)
def test_a_request_id_that_is_not_sane_is_replaced(incoming: str, client: Any) -> None:
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID=incoming)
    assert response.status_code == 200
    assert response["X-Request-ID"] != incoming
    assert len(response["X-Request-ID"]) == 32


def test_every_response_carries_a_fresh_id_and_records_logged_during_it_carry_the_same(
    client: Any, request_log: Any
) -> None:
    first = client.get("/khong-co-trang-nay/")
    second = client.get("/khong-co-trang-nay/")
    assert first.status_code == second.status_code == 404
    assert first["X-Request-ID"] != second["X-Request-ID"]
    records = _json_lines(request_log.getvalue())
    assert [r["request_id"] for r in records] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert [r["status"] for r in records] == [404, 404]


def test_a_sane_incoming_id_is_kept() -> None:
    assert request_id_for("0af7651916cd43dd8448eb211c80319c") == "0af7651916cd43dd8448eb211c80319c"
    assert request_id_for("9b2e1c4e-8a4f-4b7e-9a57-2d1c8e0f5a11").startswith("9b2e1c4e")


def test_a_record_outside_any_request_says_so_in_both_formats() -> None:
    record = logging.LogRecord(
        "inspections", logging.WARNING, __file__, 1, "xin chào %s", ("bạn",), None
    )
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["message"], entry["request_id"]) == ("xin chào bạn", "-")
    assert entry["level"] == "WARNING"
    assert entry["time"].endswith("+00:00")
    assert "WARNING inspections [-] xin chào bạn" in TextFormatter().format(record)


def test_a_json_record_is_one_line_whatever_the_message() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "dòng 1\ndòng 2\x00", None, None)
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["message"] == "dòng 1\ndòng 2\x00"


def test_admins_are_read_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("ADMINS_TEST", "Lan Nguyễn <lan@example.vn>, ops@example.vn ,")
    assert env_admins("ADMINS_TEST") == [
        ("Lan Nguyễn", "lan@example.vn"),
        ("ops@example.vn", "ops@example.vn"),
    ]
    monkeypatch.delenv("ADMINS_TEST")
    assert env_admins("ADMINS_TEST") == []


@pytest.mark.parametrize(
    "raw", ["Lan", "Lan <lan>", "Lan <lan@example.vn", "<a@b.vn> thừa", "a@b.vn b@c.vn"]
)
def test_admins_that_are_not_addresses_stop_start_up(monkeypatch: Any, raw: str) -> None:
    monkeypatch.setenv("ADMINS_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="ADMINS_TEST"):
        env_admins("ADMINS_TEST")


def test_log_format_defaults_to_text_in_development_and_refuses_nonsense() -> None:
    def read(**env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DEBUG"}}
        return subprocess.run(
            [sys.executable, "-c", "import config.settings as s; print(s.LOG_FORMAT, s.LOG_LEVEL)"],
            cwd=ROOT,
            env={**clean, "SECRET_KEY": "x", "ALLOWED_HOSTS": "a.vn", **env},
            capture_output=True,
            text=True,
            check=False,
        )

    assert read(DEBUG="true").stdout.split() == ["text", "INFO"]
    assert read(DEBUG="false", LOG_LEVEL="Warning").stdout.split() == ["json", "WARNING"]
    assert "LOG_FORMAT must be one of json/text" in read(DEBUG="true", LOG_FORMAT="xml").stderr


def test_admins_get_the_error_by_mail_with_its_request_id(settings: Any, mailoutbox: Any) -> None:
    settings.ROOT_URLCONF = FAILING_URLS
    settings.ADMINS = [("Lan Nguyễn", "lan@example.vn")]
    response = APIClient(raise_request_exception=False).get(
        "/hong/", HTTP_X_REQUEST_ID="mail-req-0001"
    )
    assert response.status_code == 500
    (mail,) = mailoutbox
    assert mail.to == ["lan@example.vn"]
    assert "Internal Server Error: /hong/" in mail.subject
    assert "[mail-req-0001]" in mail.body
    assert "RuntimeError at /hong/" in mail.body
    assert "trang hỏng để thử nhật ký" in mail.body


def test_no_mail_without_admins(settings: Any, mailoutbox: Any) -> None:
    settings.ROOT_URLCONF = FAILING_URLS
    APIClient(raise_request_exception=False).get("/hong/")
    assert mailoutbox == []
