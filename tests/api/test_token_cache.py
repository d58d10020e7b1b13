"""A token in use is remembered (no query to find it), and forgotten the moment it is revoked,
its owner's password changes through any door of the product, the account is deactivated,
gains or loses a role or changes name: each service that changes who someone is forgets
them in the authentication cache itself (no signal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import services
from inspections.models import ApiToken, RoleKind, UserRole
from inspections.services import accounts, people
from tests.api.test_tokens import NEW_PASSWORD, with_token
from tests.factories import make_user
from web.accounts import ResetSetPasswordForm

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def lan(db: Any) -> Any:
    return make_user("lan", None, None)


def password_change(user: Any) -> None:
    accounts.password_change(user=user, old_password=PASSWORD, new_password=NEW_PASSWORD)


def password_reset_link(user: Any) -> None:
    """The e-mailed link's form (web/accounts.py), which saves through the service."""
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    form = ResetSetPasswordForm(user, data)
    assert form.is_valid(), form.errors
    form.save()


def password_set_by_admin(user: Any) -> None:
    admin = make_user("quantri", None, None)
    admin.is_superuser = True
    admin.save()
    accounts.password_set_by_admin(by=admin, user=user, password=NEW_PASSWORD)


def signed_out_everywhere(user: Any) -> None:
    accounts.sessions_end_all(user=user)


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
    [password_change, password_reset_link, password_set_by_admin, signed_out_everywhere],
)
def test_a_password_change_is_immediate_for_a_remembered_token(
    lan: Any, change: Callable[[Any], None]
) -> None:
    secret = remembered(lan)
    bystander = remembered(make_user("binh", None, None))
    change(lan)
    assert refused(secret)
    assert not refused(bystander)


def test_a_deactivation_is_immediate_for_a_remembered_token(cast: Any) -> None:
    secret = remembered(cast.inspector)
    bystander = remembered(cast.other_inspector)
    people.person_deactivate(by=cast.internal_affairs, user=cast.inspector)
    assert refused(secret)
    assert not refused(bystander)


def test_a_granted_role_shows_at_once_for_a_remembered_token(cast: Any, org: Any) -> None:
    secret = remembered(cast.outsider)
    assert with_token(secret).get("/api/v1/me/").json()["roles"] == []
    services.role_grant(
        by=cast.internal_affairs, user=cast.outsider, kind=RoleKind.INSPECTOR, unit=org.noi_vu
    )
    roles = with_token(secret).get("/api/v1/me/").json()["roles"]
    assert [role["kind"] for role in roles] == [RoleKind.INSPECTOR]


def test_a_new_name_shows_at_once_for_a_remembered_token(cast: Any) -> None:
    secret = remembered(cast.inspector)
    people.person_update(
        by=cast.internal_affairs,
        user=cast.inspector,
        full_name="Trần Thị Mới",
        email=cast.inspector.email,
        language="vi",
    )
    assert with_token(secret).get("/api/v1/me/").json()["full_name"] == "Trần Thị Mới"


def test_a_change_around_the_services_waits_for_the_cache_to_expire(lan: Any) -> None:
    """The shell or a raw save is not a door of the product: seen after AUTH_CACHE_SECONDS."""
    secret = remembered(lan)
    lan.is_active = False
    lan.save()
    assert not refused(secret)


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
