"""OPTIONS on any API view: what it is, renders and parses; the fields live in /api/schema/.

DRF's default also describes the POST and PUT bodies from `get_serializer()` (the output
serializer here, and an AssertionError where a view has none), and for PUT it looks the row
up with `get_object()`, past our visibility rules: an answer that would tell whether an
inspection exists.
"""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import BaseMetadata
from rest_framework.request import Request


class ViewMetadata(BaseMetadata):
    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
