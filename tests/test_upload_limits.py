"""Bodies are bounded before they are read, on every upload door of the API and the web.

Each request goes through Django's WSGI handler with a lazy stream that makes its bytes as
they are asked for and counts them: a 300 MB body is never in memory, and the test knows
exactly how much the server read before it answered.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from inspections import services
from inspections.models import ActionResponse, Commitment, EvidencePhoto
from tests.accounts import sign_in
from tests.api import conftest as api_fixtures
from tests.factories import jpeg_bytes

CHUNK = 64 * 1024
HUGE = 300 * 1024 * 1024
BOUNDARY = "----congsoxanh-limit-test"
world = api_fixtures.world  # the API's cast of inspections, actions and photos


class CountingStream(io.RawIOBase):
    """`length` bytes: the multipart head, then filler made on demand; counts what is read."""

    def __init__(self, head: bytes, length: int) -> None:
        self.head, self.length, self.read_bytes = head, length, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        left = self.length - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        start = self.read_bytes
        head = self.head[start : start + size]
        data = head + b"\xff" * (size - len(head))
        self.read_bytes += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def multipart_head(fields: dict[str, str], file_field: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="{file_field}"; filename="anh.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    )
    return "".join(parts).encode() + jpeg_bytes()[:2]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    # Like Django's test client: keep the test's connection (and its transaction) open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def send(
    app: WSGIHandler,
    path: str,
    stream: CountingStream,
    *,
    content_type: str,
    length: int | None,
    headers: dict[str, str],
) -> tuple[int, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": content_type,
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        **headers,
    }
    if length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = str(length)
    status: list[str] = []
    body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
    return int(status[0].split()[0]), body


def token_header(user: Any) -> dict[str, str]:
    _token, secret = services.token_issue(user=user, device="limits")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def upload_doors(world: dict[str, Any], cast: Any, session: str) -> list[dict[str, Any]]:
    """Every upload endpoint of both doors, with its fields, its file field and its user."""
    api = token_header(cast.inspector)
    office = token_header(cast.ward_office)
    web = {"HTTP_COOKIE": f"sessionid={session}"}
    draft, action = world["draft"], world["action"]
    return [
        {"path": f"/api/v1/inspections/{draft}/photos/", "file": "file", "headers": api},
        {"path": f"/api/v1/actions/{action}/respond/", "file": "files", "headers": office},
        {"path": "/api/v1/commitments/", "file": "file", "headers": office},
        {"path": f"/phieu/{draft}/tra-loi/A1/", "file": "camera", "headers": web},
        {"path": f"/don-vi/PANLAC/khac-phuc/{action}/", "file": "photos", "headers": web},
        {"path": "/cam-ket/?nam=2027", "file": "scan", "headers": web},
        {"path": "/nhap-du-lieu/", "file": "file", "headers": web},
        {"path": f"/phieu/{draft}/doan-kiem-tra/photo/", "file": "file", "headers": web},
    ]


DOOR_IDS = ["api-photos", "api-respond", "api-commitments", "web-answer", "web-respond"]
DOOR_IDS += ["web-commitment", "web-import", "web-team-photo"]


def _session(client: Any, user: Any) -> str:
    sign_in(user, client)
    return str(client.cookies["sessionid"].value)


def _stored() -> tuple[int, int, int]:
    return (
        EvidencePhoto.objects.count(),
        ActionResponse.objects.count(),
        Commitment.objects.count(),
    )


@pytest.mark.parametrize("door", range(len(DOOR_IDS)), ids=DOOR_IDS)
def test_a_300_mb_body_over_the_request_limit_is_refused_unread(
    door: int, world: dict[str, Any], cast: Any, client: Any, wsgi_app: WSGIHandler
) -> None:
    target = upload_doors(world, cast, _session(client, cast.internal_affairs))[door]
    stream = CountingStream(multipart_head({"note": "x"}, target["file"]), HUGE)
    status, body = send(
        wsgi_app,
        target["path"],
        stream,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        length=HUGE,
        headers=target["headers"],
    )
    assert status == 413, body[:300]
    assert stream.read_bytes == 0
    if target["path"].startswith("/api/"):
        assert json.loads(body)["code"] == "too_large"


@pytest.mark.parametrize("door", range(len(DOOR_IDS)), ids=DOOR_IDS)
def test_a_file_past_the_per_file_limit_stops_the_read_within_one_chunk(
    door: int, world: dict[str, Any], cast: Any, client: Any, wsgi_app: WSGIHandler, settings: Any
) -> None:
    # The request limit is raised past the body: only the per-file limit can stop it.
    settings.UPLOAD_MAX_REQUEST_BYTES = 2 * HUGE
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    target = upload_doors(world, cast, _session(client, cast.ward_office))[door]
    head = multipart_head({"note": "x", "unit": "PANLAC"}, target["file"])
    stream, before = CountingStream(head, HUGE), _stored()
    status, body = send(
        wsgi_app,
        target["path"],
        stream,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        length=HUGE,
        headers=target["headers"],
    )
    assert status == 413, body[:300]
    assert stream.read_bytes <= settings.EVIDENCE_MAX_BYTES + CHUNK, stream.read_bytes
    assert _stored() == before
    if target["path"].startswith("/api/"):
        assert json.loads(body)["errors"][target["file"]]


@pytest.mark.parametrize("door", range(len(DOOR_IDS)), ids=DOOR_IDS)
def test_a_chunked_body_without_a_length_is_refused_unread(
    door: int, world: dict[str, Any], cast: Any, client: Any, wsgi_app: WSGIHandler
) -> None:
    target = upload_doors(world, cast, _session(client, cast.ward_office))[door]
    stream = CountingStream(multipart_head({}, target["file"]), HUGE)
    status, _body = send(
        wsgi_app,
        target["path"],
        stream,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        length=None,
        headers=target["headers"],
    )
    assert (status, stream.read_bytes) == (411, 0)


def test_a_json_body_past_the_memory_limit_is_refused_unread(
    world: dict[str, Any], cast: Any, wsgi_app: WSGIHandler, settings: Any
) -> None:
    stream = CountingStream(b'{"name": "', HUGE)
    status, body = send(
        wsgi_app,
        "/api/v1/rounds/",
        stream,
        content_type="application/json",
        length=HUGE,
        headers=token_header(cast.internal_affairs),
    )
    assert (status, stream.read_bytes) == (413, 0)
    assert "2.5 MB" in json.loads(body)["detail"]
