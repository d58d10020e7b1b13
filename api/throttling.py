"""DRF throttles whose counts every worker and server share (inspections/ratelimits.py).

DRF's own throttles keep a list in the cache and write it back (two workers racing both pass)
and take the whole X-Forwarded-For header as the client when NUM_PROXIES is unset (a client
that sends a new one each time is never throttled); these count atomically and read the
address as the login lockout does (TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from inspections import ratelimits

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class SharedRateThrottle(SimpleRateThrottle):
    _wait: float | None = None

    def __init__(self) -> None:
        super().__init__()
        self.limit, self.period = self.parse_rate(self.rate)

    def get_ident(self, request: Request) -> str:
        return ratelimits.client_ip(request._request) or "unknown"

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.limit is None or self.period is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        verdict = ratelimits.hit(str(self.scope), ident, limit=self.limit, period=self.period)
        self._wait = verdict.wait
        return verdict.allowed

    def wait(self) -> float | None:
        return self._wait


class AnonThrottle(SharedRateThrottle):
    """THROTTLE_ANON requests a minute per address, for requests without a user."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.get_ident(request)


class UserThrottle(SharedRateThrottle):
    """THROTTLE_USER requests a minute per user (per address before signing in)."""

    scope = "user"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return self.get_ident(request)
