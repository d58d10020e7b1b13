"""The cast every test can ask for: the reference catalogue, a small organisation, each role."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.factories import make_user

settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _vietnamese_by_default() -> Any:
    """A request through LocaleMiddleware leaves its language active in the thread: reset it."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploads of a test land in its own folder, never in the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def version(db: Any) -> Any:
    from inspections.services import load_reference_catalogue

    return load_reference_catalogue()


@pytest.fixture
def org(db: Any) -> Any:
    """City → (Sở Nội vụ → Ban Thi đua), Sở Tài chính, Phường An Lạc → Trường An Lạc."""
    from tests.factories import Org

    return Org.build()


@pytest.fixture
def cast(org: Any) -> Any:
    """Users for every role: Internal Affairs and an inspector at Sở Nội vụ, a second
    inspector at Sở Tài chính, a leader, and office users of the ward and of the department."""
    from inspections.models import RoleKind

    class Cast:
        internal_affairs = make_user("noivu", RoleKind.INTERNAL_AFFAIRS, org.noi_vu)
        leader = make_user("lanhdao", RoleKind.LEADER, org.city)
        inspector = make_user("kiemtra1", RoleKind.INSPECTOR, org.noi_vu)
        other_inspector = make_user("kiemtra2", RoleKind.INSPECTOR, org.tai_chinh)
        ward_office = make_user("panlac", RoleKind.OFFICE, org.ward)
        department_office = make_user("stc", RoleKind.OFFICE, org.tai_chinh)
        outsider = make_user("khach", None, None)

    return Cast


@pytest.fixture
def open_round(version: Any, cast: Any) -> Any:
    from inspections.services import round_create

    return round_create(
        by=cast.internal_affairs,
        name="Quý IV/2026",
        version=version,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        open_now=True,
    )
