"""Notification tests: every cast member has an address, and a helper that commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def addressed(cast: Any) -> Any:
    """The cast with e-mail addresses (the factories make people without one)."""
    for name in (
        "internal_affairs",
        "leader",
        "inspector",
        "other_inspector",
        "ward_office",
        "department_office",
        "outsider",
    ):
        person = getattr(cast, name)
        person.email = f"{person.username}@congsoxanh.example.vn"
        person.save(update_fields=["email"])
    return cast


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a service call as a request would: its on-commit work (waking the worker, which
    runs at once in tests) happens after it, as after a real commit."""

    def run(call: Callable[..., Any], /, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    return run


class Received:
    """One message the loopback server accepted, with what these tests look at."""

    def __init__(self, message: Any) -> None:
        self.message = message

    @property
    def to(self) -> list[str]:
        return [a.addr_spec for a in self.message["To"].addresses]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip()

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()

    def text(self) -> str:
        return str(self.message.get_body(preferencelist=("plain",)).get_content())

    def html(self) -> str:
        return str(self.message.get_body(preferencelist=("html",)).get_content())


class Mailbox:
    """The `smtp` fixture's inbox (tests/conftest.py), read message by message."""

    def __init__(self, inbox: Any) -> None:
        self.inbox = inbox

    @property
    def port(self) -> int:
        return int(self.inbox.port)

    @property
    def received(self) -> list[Received]:
        return [Received(m) for m in self.inbox.messages]

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.to]

    def clear(self) -> None:
        self.inbox.raw.clear()


@pytest.fixture
def mailbox(smtp: Any) -> Mailbox:
    return Mailbox(smtp)


def closed_port() -> int:
    """A loopback port nobody listens on: the mail server is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
