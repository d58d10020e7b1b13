"""HTML → PDF with WeasyPrint, offline and reproducible: the same data gives the same bytes.

Resources come from three places only: our font files, `data:` URIs and, for photo
thumbnails, the storage API (`storage:<name>`); anything else (a network address, another
file) is refused, so a document can never fetch from outside or read a file it should not.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import unquote

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from inspections.documents.fonts import font_files

# WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported;
# that would let truncated uploads and PNG text-chunk bombs through inspections/photos.py.
# Our documents only embed thumbnails we made ourselves, whole: turn it off again.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STORAGE_SCHEME = "storage:"
_ALLOWED = ("data:", STORAGE_SCHEME, "file:")


class DocumentFetcher(URLFetcher):
    """Our fonts, data: URIs and stored thumbnails; nothing else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith(STORAGE_SCHEME):
            name = unquote(url[len(STORAGE_SCHEME) :])
            if not name.startswith("evidence/") or ".." in name:
                raise ValueError(f"not a stored thumbnail: {name}")
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
            return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})
        if url.startswith("file:"):
            folder = font_files().folder.as_uri() + "/"
            if not url.startswith(folder) or ".." in url:
                raise ValueError(f"not one of our fonts: {url}")
            return super().fetch(url, headers)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"documents fetch nothing from {url}")


def storage_url(name: str) -> str:
    return STORAGE_SCHEME + name


def render_pdf(
    template: str, context: dict[str, Any], *, title: str, dated: datetime.datetime | None
) -> bytes:
    """The template's PDF, in Vietnamese (an official document), dated `dated` in its metadata
    (never "now": two renderings of the same data are the same bytes)."""
    with translation.override("vi"):
        html: str = render_to_string(
            template, {**context, "font_faces": font_files().css(), "title": title}
        )
    meta = ""
    if dated is not None:
        meta = f'<meta name="dcterms.created" content="{dated.isoformat()}">'
    html = html.replace("<head>", f"<head>{meta}", 1)
    out = io.BytesIO()
    HTML(string=html, url_fetcher=DocumentFetcher(allowed_protocols=None), base_url=None).write_pdf(
        out
    )
    return out.getvalue()
