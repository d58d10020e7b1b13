"""Login lockout (django-axes): repeated failures of one username from one address."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import make_user

PASSWORD = "matkhau-thu-nghiem"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


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
