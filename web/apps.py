from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered pages for people on phones: on the same services as the API."""

    name = "web"
    verbose_name = "Công Sở Xanh — trang web"
