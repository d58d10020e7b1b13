"""Deployment checks of our own (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.caches, deploy=True)
def limits_are_shared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.REDIS_URL:
        return []
    return [
        CheckWarning(
            "REDIS_URL is not set: throttles and sign-in limits are counted in each worker's "
            "memory, so N workers let N times the limit through.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) on every server.",
            id="congsoxanh.W001",
        )
    ]
