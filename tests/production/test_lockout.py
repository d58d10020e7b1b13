"""Login lockout (django-axes): repeated failures of one username from one address."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import make_user

PASSWORD = "matkhau-thu-nghiem"
TOKEN_URL = "/api/v1/auth/token/"
AXES_FAILURE_LIMIT = 3


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = AXES_FAILURE_LIMIT


@pytest.fixture
def inspector(db: Any) -> Any:
    return make_user("kiemtra9", None, None)


def sign_in(password: str, address: str = "10.0.0.1", username: str = "kiemtra9") -> Any:
    return APIClient(REMOTE_ADDR=address).post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )


@pytest.mark.usefixtures("axes_on")
def test_the_token_endpoint_locks_a_username_and_address_after_repeated_failures(
    inspector: Any,
) -> None:
    assert [sign_in("sai").status_code for _ in range(2)] == [400, 400]
    locked = sign_in("sai")
    assert locked.status_code == 429
    assert sign_in(PASSWORD).status_code == 429  # even the right password, while locked

    answer = json.loads(sign_in(PASSWORD).content)
    assert answer["code"] == "locked_out"
    assert "Đăng nhập sai quá nhiều lần" in answer["detail"]
    assert int(sign_in(PASSWORD)["Retry-After"]) == 3600


@pytest.mark.usefixtures("axes_on")
def test_a_lockout_holds_only_for_that_username_from_that_address(inspector: Any) -> None:
    make_user("kiemtra8", None, None)
    for _ in range(3):
        sign_in("sai")
    assert sign_in(PASSWORD, address="10.0.0.2").status_code == 200
    assert sign_in(PASSWORD, username="kiemtra8").status_code == 200


@pytest.mark.usefixtures("axes_on")
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(
    inspector: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        APIClient(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9").post(
            TOKEN_URL, {"username": "kiemtra9", "password": "sai"}, format="json"
        )
    other = APIClient(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.10").post(
        TOKEN_URL, {"username": "kiemtra9", "password": PASSWORD}, format="json"
    )
    same = APIClient(**proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9").post(
        TOKEN_URL, {"username": "kiemtra9", "password": PASSWORD}, format="json"
    )
    assert (other.status_code, same.status_code) == (200, 429)


def test_failures_are_not_counted_when_lockout_is_off(inspector: Any) -> None:
    for _ in range(6):
        sign_in("sai")
    assert sign_in(PASSWORD).status_code == 200


@pytest.mark.usefixtures("axes_on")
def test_the_admin_sign_in_page_is_locked_the_same_way(inspector: Any, client: Any) -> None:
    for _ in range(3):
        client.post("/admin/login/", {"username": "kiemtra9", "password": "sai"})
    response = client.post("/admin/login/", {"username": "kiemtra9", "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


@pytest.fixture
def three_a_minute(settings: Any) -> Any:
    """The limit per address at three sign-ins a minute, its count started empty."""
    settings.LOGIN_RATE_PER_ADDRESS = 3
    cache.clear()
    yield
    cache.clear()


def fill_the_address_limit() -> None:
    """Three wrong passwords, each for another username: none of them is kiemtra9's failure."""
    for i in range(3):
        assert sign_in("sai", username=f"nguoikhac{i}").status_code == 400


def failures_of(username: str, address: str = "10.0.0.1") -> int:
    """The failures axes holds against this username from this address, whichever handler."""
    request = RequestFactory().post(TOKEN_URL, REMOTE_ADDR=address)
    return int(AxesProxyHandler.get_failures(request, {"username": username}))


@pytest.mark.parametrize(
    "handler", ["inspections.signin.DatabaseHandler", "inspections.signin.CacheHandler"]
)
@pytest.mark.usefixtures("axes_on", "three_a_minute")
def test_the_right_password_refused_by_the_address_limit_is_no_failure_at_the_token_endpoint(
    inspector: Any, settings: Any, handler: str
) -> None:
    settings.AXES_HANDLER = handler
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fill_the_address_limit()
        assert failures_of("nguoikhac0") == 1  # this handler counts a wrong password
        refused = [sign_in(PASSWORD) for _ in range(AXES_FAILURE_LIMIT)]
        assert [answer.status_code for answer in refused] == [429] * AXES_FAILURE_LIMIT
        assert {json.loads(answer.content)["code"] for answer in refused} == {"throttled"}
        assert all(1 <= int(answer["Retry-After"]) <= 60 for answer in refused)
        assert failures_of("kiemtra9") == 0

        clock.shift(datetime.timedelta(seconds=61))
        assert sign_in(PASSWORD).status_code == 200


@pytest.mark.usefixtures("axes_on", "three_a_minute")
def test_the_right_password_refused_by_the_address_limit_is_no_failure_on_the_web(
    inspector: Any,
) -> None:
    def web_sign_in(username: str, password: str) -> Any:
        return Client(REMOTE_ADDR="10.0.0.1").post(
            "/dang-nhap/", {"username": username, "password": password}
        )

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for i in range(3):
            assert web_sign_in(f"nguoikhac{i}", "sai").status_code == 200  # the form again
        refused = [web_sign_in("kiemtra9", PASSWORD) for _ in range(AXES_FAILURE_LIMIT)]
        assert [page.status_code for page in refused] == [429] * AXES_FAILURE_LIMIT
        assert all(1 <= int(page["Retry-After"]) <= 60 for page in refused)
        assert failures_of("kiemtra9") == 0
        assert not AccessAttempt.objects.filter(username="kiemtra9").exists()

        clock.shift(datetime.timedelta(seconds=61))
        signed_in = web_sign_in("kiemtra9", PASSWORD)
        assert signed_in.status_code == 302
