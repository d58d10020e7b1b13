"""A token in use is remembered (no query to find it), and forgotten the moment it is revoked,
its owner's password changes by any form, the account is deactivated or loses a role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import services
from inspections.models import ApiToken, UserRole
from tests.api.test_tokens import (
    admin_password_form,
    password_change_form,
    password_reset_form,
    set_password_and_save,
    unusable_password,
    with_token,
)
from tests.factories import make_user

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def lan(db: Any) -> Any:
    return make_user("lan", None, None)


def token_queries(secret: str) -> int:
    """How many queries one request spends on the token table."""
    with CaptureQueriesContext(connection) as queries:
        assert with_token(secret).get("/api/v1/me/").status_code == 200
    return sum("inspections_apitoken" in q["sql"] for q in queries.captured_queries)


def remembered(user: Any, device: str = "") -> str:
    """A token used until it is remembered: the first use learns its owner, the second keeps it."""
    secret = services.token_issue(user=user, device=device)[1]
    assert [token_queries(secret) for _ in range(3)] == [1, 1, 0]
    return secret


def refused(secret: str) -> bool:
    return with_token(secret).get("/api/v1/me/").status_code == 401


def test_a_remembered_token_is_found_without_a_query(lan: Any) -> None:
    secret = remembered(lan)
    assert [token_queries(secret) for _ in range(3)] == [0, 0, 0]


def test_signing_out_is_immediate_for_a_remembered_token(lan: Any) -> None:
    phone, laptop = remembered(lan, "điện thoại"), remembered(lan, "máy tính")
    assert with_token(phone).delete("/api/v1/auth/token/").status_code == 204
    assert refused(phone)
    assert not refused(laptop)


def test_revoking_a_lost_phone_by_its_id_is_immediate(lan: Any) -> None:
    phone, laptop = remembered(lan, "điện thoại"), remembered(lan, "máy tính")
    lost = ApiToken.objects.get(user=lan, device="điện thoại")
    assert with_token(laptop).delete(f"/api/v1/auth/tokens/{lost.pk}/").status_code == 204
    assert refused(phone)
    assert not refused(laptop)


def test_signing_out_everywhere_is_immediate(lan: Any) -> None:
    phone, laptop = remembered(lan, "điện thoại"), remembered(lan, "máy tính")
    assert with_token(phone).post("/api/v1/auth/tokens/revoke-all/").status_code in (200, 204)
    assert refused(phone) and refused(laptop)


@pytest.mark.parametrize(
    "change",
    [
        set_password_and_save,
        password_change_form,
        password_reset_form,
        admin_password_form,
        unusable_password,
    ],
)
def test_a_password_change_is_immediate_for_a_remembered_token(
    lan: Any, change: Callable[[Any], None]
) -> None:
    secret = remembered(lan)
    bystander = remembered(make_user("binh", None, None))
    change(lan)
    assert refused(secret)
    assert not refused(bystander)


def test_a_deactivation_is_immediate_for_a_remembered_token(lan: Any) -> None:
    secret = remembered(lan)
    lan.is_active = False
    lan.save()
    assert refused(secret)


def test_a_revoked_role_stops_writes_at_once(cast: Any) -> None:
    secret = remembered(cast.inspector)
    for role in UserRole.objects.filter(user=cast.inspector):
        services.role_revoke(by=cast.internal_affairs, role=role)
    response = with_token(secret).put(
        "/api/v1/inspections/00000000-0000-4000-8000-000000000000/answers/A1/",
        {"value": 1},
        format="json",
    )
    assert response.status_code == 403
