"""WeasyPrint's side of rendering, imported on the first render (see render.render_pdf)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

from django.core.files.storage import default_storage
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from inspections.documents.fonts import font_files
from inspections.documents.render import STORAGE_SCHEME

# WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported;
# that would let truncated uploads and PNG text-chunk bombs through inspections/photos.py.
# Our documents only embed thumbnails we made ourselves, whole: turn it off again.
ImageFile.LOAD_TRUNCATED_IMAGES = False


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


def write_pdf(html: str) -> bytes:
    out = io.BytesIO()
    HTML(string=html, url_fetcher=DocumentFetcher(allowed_protocols=None), base_url=None).write_pdf(
        out
    )
    return out.getvalue()
