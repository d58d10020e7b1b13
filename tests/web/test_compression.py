"""Pages, JSON and CSV leave gzipped, with Django's BREACH mitigation; photos, PDF, XLSX and
ZIP leave as they are (config/compression.py)."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from config.compression import CompressionMiddleware, compressible
from tests.inspections.builders import attach_evidence

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
FNAME = 0x08  # the gzip header flag of a file name: where Django puts its random bytes


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "application/json",
        "text/csv; charset=utf-8",
        "application/javascript; charset=utf-8",
        "application/manifest+json; charset=utf-8",
        "application/vnd.oai.openapi; charset=utf-8",
        "image/svg+xml",
    ],
)
def test_text_types_are_compressed(content_type: str) -> None:
    assert compressible(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        "image/jpeg",
        "image/webp",
        "application/pdf",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
        "",
    ],
)
def test_packed_files_are_never_compressed_again(content_type: str) -> None:
    assert not compressible(content_type)


def test_the_checklist_is_sent_gzipped_with_a_random_file_name(
    inspection: Any, inspector_client: Client
) -> None:
    url = reverse("checklist", args=[inspection.pk])
    plain = inspector_client.get(url)
    packed = inspector_client.get(url, **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed.content[3] & FNAME  # the BREACH mitigation's random bytes are there
    html = gzip.decompress(packed.content).decode()
    assert 'id="c-A1"' in html and html.rstrip().endswith("</html>")
    assert len(packed.content) < len(plain.content) / 4


def test_json_is_compressed(client: Client) -> None:
    response = client.get(reverse("offline-manifest"), **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "static" in gzip.decompress(response.content).decode()


def test_a_photo_leaves_as_it_is(inspection: Any, cast: Any, inspector_client: Client) -> None:
    attach_evidence(inspection, cast.inspector, only=["A1"])
    photo = inspection.photos.get()
    response = inspector_client.get(reverse("api:photo-file", args=[photo.pk, "display"]), **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "Content-Encoding" not in response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:2] == b"\xff\xd8"


def test_a_streamed_csv_is_compressed_as_it_goes() -> None:
    rows = [f"{n};Phường số {n};92,50\n".encode() for n in range(2000)]
    middleware = CompressionMiddleware(
        lambda request: StreamingHttpResponse(iter(rows), content_type="text/csv")
    )
    response = middleware(RequestFactory().get("/", **GZIP))
    assert response["Content-Encoding"] == "gzip"
    assert "Content-Length" not in response
    assert gzip.decompress(b"".join(response.streaming_content)) == b"".join(rows)


def test_a_zip_is_not_compressed_even_when_it_could_be() -> None:
    middleware = CompressionMiddleware(
        lambda request: HttpResponse(b"PK" + b"\0" * 5000, content_type="application/zip")
    )
    response = middleware(RequestFactory().get("/", **GZIP))
    assert "Content-Encoding" not in response
    assert len(response.content) == 5002
