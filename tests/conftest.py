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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The slow tests' totals (tests/web/test_fuzz.py, the stateful run of
    tests/api/test_schemathesis.py), from every xdist worker: only the root conftest is
    loaded by xdist's controller, hence here."""
    totals = dict.fromkeys(("web_fuzz_cases", "web_fuzz_5xx", "stateful_calls"), 0)
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if name in totals:
                    totals[name] += int(value)
    if totals["web_fuzz_cases"]:
        terminalreporter.write_line(
            f"web fuzz: {totals['web_fuzz_cases']} cases, {totals['web_fuzz_5xx']} answered 5xx"
        )
    if totals["stateful_calls"]:
        terminalreporter.write_line(f"stateful API runs: {totals['stateful_calls']} calls")


@pytest.fixture(autouse=True)
def _vietnamese_by_default() -> Any:
    """A request through LocaleMiddleware leaves its language active in the thread: reset it."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _forget_who_signed_in() -> Any:
    """The authentication cache (inspections/authcache.py) starts empty in every test."""
    from django.core.cache import caches

    caches["auth"].clear()
    yield
    caches["auth"].clear()


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


class Inbox:
    """What the loopback SMTP server received, parsed as e-mails."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Any]:
        from email import message_from_bytes
        from email.policy import default

        return [message_from_bytes(raw, policy=default) for raw in self.raw]

    @staticmethod
    def text_of(message: Any) -> str:
        return str(message.get_body(preferencelist=("plain",)).get_content())

    @staticmethod
    def html_of(message: Any) -> str:
        return str(message.get_body(preferencelist=("html",)).get_content())


@pytest.fixture(scope="session")
def _smtp_server() -> Any:
    """One real SMTP server (aiosmtpd) on a free loopback port for the whole run."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def smtp(_smtp_server: Inbox, settings: Any) -> Inbox:
    """Mail of this test goes over SMTP to the loopback server; its inbox starts empty."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    _smtp_server.raw.clear()
    return _smtp_server
