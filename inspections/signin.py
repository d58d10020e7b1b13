"""What every sign-in door (the web, the admin, POST /api/v1/auth/token/) shares beside the limits
of inspections/ratelimits.py: the failures django-axes counts (AXES_HANDLER)."""

from __future__ import annotations

from typing import Any

from axes.handlers.base import AbstractAxesHandler
from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest

from inspections.ratelimits import login_wait


class _NotWhenRateLimited(AbstractAxesHandler):
    """Django reports every authenticate() a backend stopped as a failed sign-in, the limit per
    address's too; no password was checked, so axes must not count it against the username
    (else the right password typed while refused would lock the account for an hour)."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None and login_wait(request) is not None:
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


class DatabaseHandler(_NotWhenRateLimited, AxesDatabaseHandler):
    """The lockout state in the database (no Redis)."""


class CacheHandler(_NotWhenRateLimited, AxesCacheHandler):
    """The lockout state in the shared cache (Redis)."""
