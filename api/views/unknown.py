"""Every /api/ address no endpoint answers: a JSON 404 like any other API error, never the
web's HTML page, whatever the method."""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView


class UnknownAddressView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    schema = None  # not an endpoint: left out of the OpenAPI document

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        path = request.path_info
        if not path.endswith("/") and _is_endpoint(path + "/"):
            raise NotFound(
                _("Không tìm thấy. Địa chỉ của API kết thúc bằng “/”: %(path)s")
                % {"path": request.path + "/"}
            )
        raise NotFound(_("Không tìm thấy."))


def _is_endpoint(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func.__name__ != UnknownAddressView.__name__
