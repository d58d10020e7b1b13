"""Limits hold across processes: gunicorn with three workers, Redis on 127.0.0.1:6379 (its
database 13, flushed before and after). The figures over a whole minute are bench/limits.py's."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.production.live_server import (
    PASSWORD,
    RedisMissing,
    gunicorn,
    prepare,
    redis_database,
    request,
    server_env,
    worker_pids,
)

pytestmark = pytest.mark.redis

THROTTLE_USER = 30
LOGIN_RATE = 10
AXES_FAILURES = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("live")
    try:
        redis_context = redis_database(13)
        redis_url = redis_context.__enter__()
    except RedisMissing as exc:
        pytest.skip(str(exc))
    env = server_env(
        folder,
        REDIS_URL=redis_url,
        THROTTLE_USER=str(THROTTLE_USER),
        THROTTLE_ANON="100000",
        LOGIN_RATE_PER_ADDRESS=str(LOGIN_RATE),
        AXES_FAILURE_LIMIT=str(AXES_FAILURES),
        TRUSTED_PROXY_COUNT="1",  # each test speaks from its own address
    )
    tokens = prepare(env, ["lan", "binh"])
    log = folder / "gunicorn.log"
    try:
        with gunicorn(env, log, workers=3) as port:
            yield {"port": port, "tokens": tokens, "log": log}
    finally:
        redis_context.__exit__(None, None, None)


def at_once(calls: list[Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_the_per_minute_throttle_holds_across_three_workers(server: Any) -> None:
    port, token = server["port"], server["tokens"]["lan"]
    headers = {"Authorization": f"Token {token}", "X-Forwarded-For": "198.51.100.1"}
    answers = at_once(
        [lambda: request(port, "GET", "/api/v1/me/", headers=headers)] * (2 * THROTTLE_USER)
    )
    assert Counter(status for status, _h, _b in answers) == {200: THROTTLE_USER, 429: THROTTLE_USER}
    for status, answer_headers, content in answers:
        if status == 429:
            assert 1 <= int(answer_headers["Retry-After"]) <= 60
            assert json.loads(content)["code"] == "throttled"
    assert len(worker_pids(server["log"])) == 3  # every worker answered, with one count


def _token_attempt(port: int, username: str, password: str, address: str) -> int:
    status, _headers, _content = request(
        port,
        "POST",
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        {"X-Forwarded-For": address},
    )
    return status


def _web_sign_in(port: int, username: str, password: str, address: str) -> tuple[int, str]:
    forwarded = {"X-Forwarded-For": address}
    status, headers, page = request(port, "GET", "/dang-nhap/", headers=forwarded)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"])
    form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert cookie and form
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": form.group(1).decode(), "username": username, "password": password}
    )
    connection.request(
        "POST",
        "/dang-nhap/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.group(1)}",
            "X-Forwarded-For": address,
        },
    )
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, text


def test_the_sign_in_limit_per_address_holds_across_three_workers(server: Any) -> None:
    port, address = server["port"], "198.51.100.2"
    sprayed = at_once(
        [
            (lambda i=i: _token_attempt(port, f"khach{i}", "mua-he-2026", address))
            for i in range(2 * LOGIN_RATE)
        ]
    )
    assert Counter(sprayed) == {400: LOGIN_RATE, 429: LOGIN_RATE}
    status, page = _web_sign_in(port, "lan", PASSWORD, address)
    assert status == 429
    assert "Có quá nhiều lần đăng nhập từ địa chỉ của bạn" in page
    assert _token_attempt(port, "lan", PASSWORD, "198.51.100.3") == 200


def test_the_username_lockout_holds_across_three_workers(server: Any) -> None:
    port, address = server["port"], "198.51.100.4"
    failures = [_token_attempt(port, "binh", "sai", address) for _ in range(AXES_FAILURES)]
    assert failures == [400] * (AXES_FAILURES - 1) + [429]
    assert _token_attempt(port, "binh", PASSWORD, address) == 429
    assert _token_attempt(port, "binh", PASSWORD, "198.51.100.5") == 200


def test_the_limits_live_in_the_dedicated_redis_database(server: Any) -> None:
    import redis

    keys = [key.decode() for key in redis.Redis(host="127.0.0.1", port=6379, db=13).keys("*")]
    assert all(key.startswith("csx:") for key in keys)
    # The sliding logs of the user throttle and of the sign-in limit, and axes' lockout state.
    assert any(key.startswith("csx:ratelimit:user:") for key in keys)
    assert any(key.startswith("csx:ratelimit:login:") for key in keys)
    assert any("axes" in key for key in keys)
