"""Limits per address on every sign-in door, and throttles that read the address as the lockout
does; here on the embedded cache (one process), in test_shared_limits.py across processes."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework.test import APIClient
from rest_framework.views import APIView

from api.throttling import AnonThrottle, UserThrottle
from inspections import ratelimits
from tests.factories import make_user

PASSWORD = "matkhau-thu-nghiem"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_counts() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.LOGIN_RATE_PER_ADDRESS = 3


@pytest.fixture
def people(db: Any) -> list[Any]:
    return [make_user(f"canbo{i}", None, None) for i in range(6)]


def token_attempt(username: str, password: str = "sai", **meta: str) -> Any:
    client = APIClient(REMOTE_ADDR=meta.pop("REMOTE_ADDR", "10.0.0.1"), **meta)
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


@pytest.mark.usefixtures("three_a_minute")
def test_one_password_sprayed_across_usernames_is_stopped_at_the_token_endpoint(
    people: list[Any],
) -> None:
    statuses = [token_attempt(person.username).status_code for person in people[:3]]
    assert statuses == [400, 400, 400]
    refused = token_attempt(people[3].username)
    assert refused.status_code == 429
    answer = json.loads(refused.content)
    assert answer["code"] == "throttled"
    assert "quá nhiều lần đăng nhập" in answer["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Even the right password waits, and another address does not.
    assert token_attempt(people[4].username, PASSWORD).status_code == 429
    assert token_attempt(people[4].username, PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.usefixtures("three_a_minute")
def test_the_web_sign_in_answers_a_vietnamese_429_page(people: list[Any], client: Any) -> None:
    for person in people[:3]:
        page = client.post("/dang-nhap/", {"username": person.username, "password": "sai"})
        assert page.status_code == 200
    refused = client.post("/dang-nhap/?next=/dot/", {"username": "canbo4", "password": PASSWORD})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert refused["Content-Type"] == "text/html; charset=utf-8"
    assert "Có quá nhiều lần đăng nhập từ địa chỉ của bạn" in html
    assert 'href="/dang-nhap/?next=/dot/"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("three_a_minute")
def test_the_admin_sign_in_counts_against_the_same_address(people: list[Any], client: Any) -> None:
    for person in people[:2]:
        token_attempt(person.username, REMOTE_ADDR="127.0.0.1")
    client.post("/dang-nhap/", {"username": "canbo2", "password": "sai"})
    refused = client.post("/admin/login/", {"username": "canbo3", "password": PASSWORD})
    assert refused.status_code == 429


@pytest.mark.usefixtures("three_a_minute")
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    people: list[Any], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for person in people[:3]:
        token_attempt(person.username, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    # A forged first entry changes nothing; another client behind the same proxy signs in.
    forged = token_attempt(
        "canbo3", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9"
    )
    other = token_attempt(
        "canbo3", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert (forged.status_code, other.status_code) == (429, 200)


def test_no_limit_when_it_is_off(people: list[Any]) -> None:
    assert [token_attempt(p.username).status_code for p in people] == [400] * 6


def test_a_made_up_forwarded_address_does_not_escape_the_anonymous_throttle(
    db: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(APIView, "throttle_classes", [AnonThrottle, UserThrottle])
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    statuses = [
        APIClient(REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        .post(TOKEN_URL, {"username": "x", "password": "y"}, format="json")
        .status_code
        for i in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]


def test_the_sliding_log_lets_no_minute_through_more_than_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimits.time, "time", lambda: clock[0])

    def at(seconds: float) -> ratelimits.Verdict:
        clock[0] = 1_000_000.0 + seconds
        return ratelimits.hit("thu", "10.0.0.1", limit=3, period=60)

    assert [at(s).allowed for s in (0, 10, 59)] == [True, True, True]
    refused = at(59.5)
    assert not refused.allowed
    assert refused.wait == pytest.approx(0.5)  # the hit at 0 leaves the window at 60
    assert at(60.5).allowed  # one slot back, not three: those of 10 and 59 still count
    assert not at(61).allowed
    assert at(70.5).allowed
    assert ratelimits.hit("thu", "10.0.0.2", limit=3, period=60).allowed  # per address


def test_a_silent_redis_lets_requests_through_and_says_so(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers
    with caplog.at_level(logging.ERROR, logger="inspections.ratelimits"):
        verdict = ratelimits.hit("thu", "10.0.0.1", limit=1, period=60)
    assert verdict.allowed
    assert "Redis did not answer" in caplog.text


def test_redis_url_puts_the_cache_and_the_lockout_state_in_redis() -> None:
    from tests.production.test_deploy import manage

    script = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], s.AXES_HANDLER)"
    )
    shared = manage("shell", "--no-imports", "-c", script, REDIS_URL="redis://10.0.0.5:6379/2")
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.5:6379/2",
        "inspections.signin.CacheHandler",
    ], shared.stderr
    embedded = manage("shell", "--no-imports", "-c", script)
    assert embedded.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "csx",
        "inspections.signin.DatabaseHandler",
    ], embedded.stderr


def test_a_redis_url_that_is_not_one_stops_start_up_without_showing_its_password() -> None:
    from tests.production.test_deploy import manage

    result = manage("check", REDIS_URL="http://:bi-mat@10.0.0.5:6379/0")
    assert result.returncode != 0
    assert "REDIS_URL must be a redis://" in result.stderr
    assert "bi-mat" not in result.stderr


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("1.1.1.1, 2001:db8::7", "2001:db8::7"),
        ("not-an-ip", "127.0.0.1"),
        ("10.1.0.5\x00", "127.0.0.1"),
        ("203.0.113.9, 10.1.0.5 junk", "127.0.0.1"),
        ("fe80::1%eth0", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_a_forwarded_entry_that_is_no_address_falls_back_to_the_connection(
    settings: Any, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimits.client_ip(request) == expected


@pytest.fixture
def lockout_behind_a_proxy(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_PER_ADDRESS = 3


@pytest.mark.parametrize("forwarded", ["not-an-ip", "10.1.0.5\x00"])
@pytest.mark.usefixtures("lockout_behind_a_proxy")
def test_a_forwarded_header_that_is_no_address_counts_the_proxy_at_the_token_endpoint(
    people: list[Any], forwarded: str
) -> None:
    wrong = token_attempt("canbo0", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert wrong.status_code == 400
    assert AccessAttempt.objects.get(username="canbo0").ip_address == "127.0.0.1"
    right = token_attempt(
        "canbo1", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert right.status_code == 200
    # The limit per address counts the proxy's address too.
    token_attempt("canbo2", REMOTE_ADDR="127.0.0.1")
    assert token_attempt("canbo3", PASSWORD, REMOTE_ADDR="127.0.0.1").status_code == 429


@pytest.mark.parametrize("forwarded", ["not-an-ip", "10.1.0.5\x00"])
@pytest.mark.usefixtures("lockout_behind_a_proxy")
def test_a_forwarded_header_that_is_no_address_counts_the_proxy_on_the_web(
    people: list[Any], forwarded: str
) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    wrong = client.post("/dang-nhap/", {"username": "canbo0", "password": "sai"})
    assert wrong.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.content.decode()
    assert AccessAttempt.objects.get(username="canbo0").ip_address == "127.0.0.1"
    right = client.post("/dang-nhap/", {"username": "canbo1", "password": PASSWORD})
    assert right.status_code == 302
