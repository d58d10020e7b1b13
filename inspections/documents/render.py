"""HTML → PDF with WeasyPrint, offline and reproducible: the same data gives the same bytes.

Resources come from three places only: our font files, `data:` URIs and, for photo
thumbnails, the storage API (`storage:<name>`); anything else (a network address, another
file) is refused, so a document can never fetch from outside or read a file it should not.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from inspections.documents.fonts import font_files

STORAGE_SCHEME = "storage:"


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
    # WeasyPrint and Pango cost about a second to load: only processes that render pay it.
    from inspections.documents.weasy import write_pdf

    return write_pdf(html)
