"""Responses compressed by the application: pages, JSON, CSV, never what is already packed.

Django's GZipMiddleware, with its BREACH mitigation (since Django 4.2, "Heal the Breach": a
random number of bytes, up to 100, in the gzip header's file name, so that the length of a
compressed page that reflects a secret does not reveal it; our CSRF tokens are masked anew
per request too). It compresses streamed responses (the CSV exports) as they go. What is
compressed is chosen by the response's type: text and JSON-like types only; photos, PDF,
XLSX and ZIP are already compressed and go out as they are. Static files never reach it:
WhiteNoise answers them first, with the .gz copies made by collectstatic.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# application/… types worth compressing; any text/… type is, and any …+json or …+xml.
_TEXTUAL_APPLICATION_TYPES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/xml",
        "application/vnd.oai.openapi",  # the API's schema (drf-spectacular)
    }
)


def compressible(content_type: str) -> bool:
    """Whether a body of this Content-Type gains from gzip (text, JSON, XML, scripts)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind.startswith("text/"):
        return True
    if kind.endswith(("+json", "+xml")):  # application/manifest+json, image/svg+xml…
        return True
    return kind in _TEXTUAL_APPLICATION_TYPES


class CompressionMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
