"""File renderers for `?format=csv` and `?format=xlsx` on the ranking endpoint."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from inspections.exports import ranking_csv, ranking_workbook

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9_-]+")


def _is_ranking(data: Any) -> bool:
    return isinstance(data, Mapping) and isinstance(data.get("groups"), list)


def _error_body(data: Any, renderer_context: Mapping[str, Any] | None) -> bytes:
    """An error (403, 404, 429…) reaches a file renderer too: answer it as JSON, never a 500."""
    response = (renderer_context or {}).get("response")
    if response is not None:
        response["Content-Type"] = "application/json"
        if "Content-Disposition" in response:
            del response["Content-Disposition"]
    if data is None:
        return b""
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def _attach(renderer_context: Mapping[str, Any] | None, data: Mapping[str, Any], ext: str) -> None:
    response = (renderer_context or {}).get("response")
    if response is None or "Content-Disposition" in response:
        return  # the view chose its own name
    round_info = data.get("round")
    round_id = round_info.get("id") if isinstance(round_info, Mapping) else None
    suffix = _ascii_slug(str(round_id)) if round_id is not None else ""
    stem = f"xep-hang-{suffix}" if suffix else "xep-hang"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'


def _ascii_slug(text: str) -> str:
    """Round ids go into a header, which carries ASCII only ("Đợt 1" → "Dot-1")."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return _UNSAFE_FILENAME.sub("-", plain.encode("ascii", "ignore").decode()).strip("-")


def _round_info(data: Mapping[str, Any]) -> dict[str, Any]:
    round_info = data.get("round")
    return dict(round_info) if isinstance(round_info, Mapping) else {}


class RankingCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if not _is_ranking(data):
            return _error_body(data, renderer_context)
        _attach(renderer_context, data, "csv")
        text = ranking_csv(round_info=_round_info(data), groups=list(data["groups"]))
        return text.encode("utf-8")


class RankingXLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if not _is_ranking(data):
            return _error_body(data, renderer_context)
        _attach(renderer_context, data, "xlsx")
        return ranking_workbook(round_info=_round_info(data), groups=list(data["groups"]))
