"""Two views that fail, one per door, for the logging tests; the real routes follow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView


def page_that_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("trang hỏng để thử nhật ký")


class ApiThatFails(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> HttpResponse:
        raise ZeroDivisionError("api hỏng để thử nhật ký")


urlpatterns = [
    path("hong/", page_that_fails),
    path("api/v1/hong/", ApiThatFails.as_view()),
    path("", include("config.urls")),
]
