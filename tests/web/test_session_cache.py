"""A signed-in page reads who is signed in from the shared cache (config/auth.py), and forgets
it the moment the person signs out, changes password, is deactivated, ends every session or
loses a role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import UserRole
from inspections.services.accounts import sessions_end_all
from tests.accounts import sign_in

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
    user.set_password("mat-khau-moi-2027")
    user.save()


def deactivate(user: Any) -> None:
    user.is_active = False
    user.save()


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
    UserRole.objects.filter(user=cast.internal_affairs).delete()  # by any path of the ORM
    assert client.get(reverse("rounds")).status_code == 403
