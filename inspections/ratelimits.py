"""Rate limits that hold across every worker and server, and the client's address they count.

A limit is a sliding log: a hit is allowed while fewer than `limit` hits were allowed in the
last `period` seconds, so no minute, however it is cut, lets more through. With REDIS_URL the
log lives in Redis and one Lua script reads and writes it atomically on Redis' own clock: every
gunicorn worker of every server counts together. Without it (the embedded default: development,
tests, one process) the log lives in this process's cache, behind a lock.

Used by the API throttles (api/throttling.py) and by the sign-in limit per address below.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from inspections.errors import TooMany, wait_in_words

logger = logging.getLogger(__name__)

LOGIN_PERIOD = 60  # LOGIN_RATE_PER_ADDRESS counts sign-in attempts per minute


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: float = 0.0  # seconds until one more hit would be allowed


def hit(scope: str, ident: str, *, limit: int, period: int) -> Verdict:
    """Count one hit of `ident` (an address, a user id) against `limit` per `period` seconds;
    a refused hit is not counted, so a client that keeps knocking gets back in on time."""
    digest = hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    if settings.REDIS_URL:
        try:
            return _redis_hit(key, limit, period)
        except Exception:
            # A limit must not take the site down with Redis: let the request through, loudly.
            logger.exception("Rate limit %s not checked: Redis did not answer", scope)
            return Verdict(True)
    return _local_hit(key, limit, period)


# KEYS[1]: the log (a sorted set of hit times in ms); ARGV: limit, period in ms, a unique member.
# Answers 0 (allowed, counted) or the milliseconds until the oldest hit leaves the window.
_SLIDING_LOG = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], period)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + period - now)
"""


@lru_cache(maxsize=4)
def _redis_script(url: str) -> Any:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return client.register_script(_SLIDING_LOG)


def _redis_hit(key: str, limit: int, period: int) -> Verdict:
    script = _redis_script(settings.REDIS_URL)
    # The cache's prefix, so that every key of ours in that Redis database starts alike.
    wait_ms = int(script(keys=[f"csx:{key}"], args=[limit, period * 1000, uuid.uuid4().hex]))
    return Verdict(wait_ms == 0, wait_ms / 1000)


_local_lock = threading.Lock()


def _local_hit(key: str, limit: int, period: int) -> Verdict:
    with _local_lock:
        now = time.time()
        log = [t for t in cache.get(key, []) if t > now - period]
        if len(log) < limit:
            log.append(now)
            cache.set(key, log, period)
            return Verdict(True)
        cache.set(key, log, period)
        return Verdict(False, max(log[0] + period - now, 0.001))


class _HasMeta(Protocol):
    @property
    def META(self) -> Mapping[str, Any]: ...


def client_ip(request: _HasMeta) -> str | None:
    """The client's address for lockouts and limits: behind TRUSTED_PROXY_COUNT proxies of
    ours, the address the outermost one saw (X-Forwarded-For entries before it can be forged).
    An entry that is no address (garbage, a NUL, a zone id: PostgreSQL's inet takes none of
    them) counts as the connection's, as does a header shorter than the proxies."""
    hops: int = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if len(addresses) >= hops and (address := _ip_address(addresses[-hops])):
            return address
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None


def _ip_address(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None
    return str(address)


class LoginRateLimitBackend:
    """An authentication backend that signs nobody in: it counts every sign-in attempt of the
    client's address, on every door that calls authenticate() with the request (the web
    sign-in, the admin's, POST /api/v1/auth/token/), and past LOGIN_RATE_PER_ADDRESS a minute
    stops authenticate() before any password is checked. The request keeps the wait
    (`login_rate_limited`) for the door to answer 429. Axes locks one username at a time;
    this stops one password tried across every username. (No get_user(): a session is never
    this backend's, and Django's test client picks the first backend that has one.)"""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        limit: int = settings.LOGIN_RATE_PER_ADDRESS
        if request is None or not limit:
            return None
        address = client_ip(request) or "unknown"
        verdict = hit("login", address, limit=limit, period=LOGIN_PERIOD)
        if not verdict.allowed:
            request.login_rate_limited = verdict.wait  # type: ignore[attr-defined]
            logger.warning("Sign-in refused: too many attempts from %s", address)
            raise PermissionDenied
        return None


def login_wait(request: HttpRequest) -> float | None:
    """Seconds to wait when this request's sign-in was refused by the limit per address."""
    wait = getattr(request, "login_rate_limited", None)
    return float(wait) if wait is not None else None


def too_many_logins(wait: float) -> TooMany:
    """The refusal both sign-in doors give past the limit per address (a page, or JSON)."""
    message = _("Có quá nhiều lần đăng nhập từ địa chỉ của bạn. Vui lòng thử lại sau %(wait)s.") % {
        "wait": wait_in_words(wait)
    }
    return TooMany(message, wait=wait)
