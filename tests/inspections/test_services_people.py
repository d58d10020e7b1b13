"""Roles are granted and revoked by the service, with the people rules and an Event each."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from inspections import policies
from inspections.errors import Problem
from inspections.models import Event, RoleKind, UserRole
from inspections.services import role_grant, role_revoke, unit_retire
from tests.inspections.builders import refusal

pytestmark = pytest.mark.django_db


def test_a_role_is_granted_and_revoked_with_its_events(org, cast):
    ia = cast.internal_affairs
    user = cast.outsider
    assert not policies.has_role(user, RoleKind.INSPECTOR)
    role = role_grant(by=ia, user=user, kind=RoleKind.INSPECTOR, unit=org.tai_chinh)
    assert policies.has_role(user, RoleKind.INSPECTOR)  # the cached roles are read again
    role_revoke(by=ia, role=role)
    assert not UserRole.objects.filter(user=user).exists()
    assert not policies.has_role(get_user_model().objects.get(pk=user.pk), RoleKind.INSPECTOR)
    granted, revoked = (
        Event.objects.get(action="role_granted"),
        Event.objects.get(action="role_revoked"),
    )
    assert granted.data == {"user": "khach", "kind": "inspector", "unit": "STC"}
    assert revoked.data == granted.data and revoked.actor == ia


@pytest.mark.parametrize("kind", [RoleKind.INSPECTOR, RoleKind.OFFICE, RoleKind.INTERNAL_AFFAIRS])
def test_every_role_but_the_leaders_needs_a_unit(cast, kind):
    refused = refusal(
        Problem.INVALID,
        role_grant,
        by=cast.internal_affairs,
        user=cast.outsider,
        kind=kind,
        unit=None,
    )
    assert "cần một đơn vị" in refused.fields["unit"][0]
    assert not UserRole.objects.filter(user=cast.outsider).exists()


def test_a_leader_may_hold_a_role_without_a_unit(cast):
    role_grant(by=cast.internal_affairs, user=cast.outsider, kind=RoleKind.LEADER, unit=None)
    assert policies.is_leader(cast.outsider)


def test_a_role_is_not_granted_twice_nor_at_a_retired_unit(org, cast):
    ia = cast.internal_affairs
    twice = refusal(
        Problem.INVALID, role_grant, by=ia, user=cast.inspector, kind="inspector", unit=org.noi_vu
    )
    assert "kind" in twice.fields
    unit_retire(by=ia, unit=org.school, merged_into=org.ward, valid_to=datetime.date(2026, 6, 30))
    retired = refusal(
        Problem.INVALID, role_grant, by=ia, user=cast.outsider, kind="office", unit=org.school
    )
    assert "hết hiệu lực" in retired.fields["unit"][0]
    unknown = refusal(
        Problem.INVALID, role_grant, by=ia, user=cast.outsider, kind="boss", unit=None
    )
    assert "kind" in unknown.fields


def test_nobody_grants_or_revokes_their_own_roles(org, cast):
    ia = cast.internal_affairs
    refusal(Problem.FORBIDDEN, role_grant, by=ia, user=ia, kind="inspector", unit=org.tai_chinh)
    own = UserRole.objects.get(user=ia)
    refusal(Problem.FORBIDDEN, role_revoke, by=ia, role=own)
    assert list(UserRole.objects.filter(user=ia).values_list("kind", flat=True)) == [
        "internal_affairs"
    ]
    assert not Event.objects.filter(action__startswith="role_").exists()


def test_only_internal_affairs_or_the_it_officer_grant_roles(org, cast):
    for someone in (cast.inspector, cast.leader, cast.ward_office, cast.outsider):
        refusal(
            Problem.FORBIDDEN,
            role_grant,
            by=someone,
            user=cast.other_inspector,
            kind="office",
            unit=org.ward,
        )
    officer = get_user_model().objects.create_superuser("it", "it@example.vn", "mat-khau-dai-1")
    role_grant(by=officer, user=cast.other_inspector, kind="office", unit=org.ward)
    assert policies.has_role(cast.other_inspector, RoleKind.OFFICE)
