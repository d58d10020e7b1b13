"""A signed-in page reads who is signed in from the shared cache (config/auth.py), and forgets
it the moment the person signs out, changes password, is deactivated, ends every session or
loses a role: each through the service that does it, which forgets the person itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import RoleKind, UserRole
from inspections.services.accounts import password_change, sessions_end_all
from inspections.services.people import person_deactivate, role_revoke
from tests.accounts import sign_in
from tests.factories import make_user

WHO = ("django_session", "auth_user", "inspections_profile", "inspections_userrole")


def who_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum(any(table in q["sql"] for table in WHO) for q in queries.captured_queries)


def remembered(user: Any) -> Client:
    client = sign_in(user)
    assert client.get(reverse("home")).status_code == 200  # read once, then remembered
    return client


def signed_out(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and reverse("login") in response["Location"]


def test_a_remembered_session_reads_nobody_from_the_database(cast: Any) -> None:
    client = remembered(cast.inspector)
    assert [who_queries(client) for _ in range(3)] == [0, 0, 0]


def test_signing_out_is_immediate(cast: Any) -> None:
    client = remembered(cast.inspector)
    assert client.post(reverse("logout")).status_code in (200, 302)
    assert signed_out(client)


def change_password(user: Any) -> None:
    password_change(user=user, old_password=None, new_password="mat-khau-moi-2027")


def deactivate(user: Any) -> None:
    unit = UserRole.objects.filter(user=user).first().unit
    person_deactivate(by=make_user("noivu2", RoleKind.INTERNAL_AFFAIRS, unit), user=user)


def superuser() -> Any:
    admin = make_user("quantri", None, None)
    admin.is_superuser = True
    admin.save()
    return admin


def end_every_session(user: Any) -> None:
    sessions_end_all(user=user, by=user)


@pytest.mark.parametrize("change", [change_password, deactivate, end_every_session])
def test_a_change_of_the_person_signs_a_remembered_session_out_at_once(
    cast: Any, change: Callable[[Any], None]
) -> None:
    client = remembered(cast.inspector)
    bystander = remembered(cast.other_inspector)
    change(cast.inspector)
    assert signed_out(client)
    assert not signed_out(bystander)


def test_a_revoked_role_is_seen_at_once(cast: Any) -> None:
    client = remembered(cast.internal_affairs)
    assert client.get(reverse("rounds")).status_code == 200
    admin = superuser()
    for role in UserRole.objects.filter(user=cast.internal_affairs):
        role_revoke(by=admin, role=role)
    assert client.get(reverse("rounds")).status_code == 403
