"""One Chromium for the whole run (Debian's, never a downloaded one), phone-sized pages."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

# Playwright's sync API runs an event loop; the live server's database calls are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


class _RequestsInFlight:
    """Counts the live server's requests that have not finished yet.

    On SQLite the live server shares the test's in-memory database, and a query from the test
    while a page's request is still being served (a service worker's fetch, an autosave) fails
    at random with "database table is locked". The test's queries wait for quiet instead."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    # Only the live server's threads count: the test client runs in the test's own thread, and
    # a streamed response it never reads to the end would never say it finished.
    def started(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count += 1

    def finished(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self.changed:
                self.count = max(0, self.count - 1)
                self.changed.notify_all()

    def reset(self) -> None:
        with self.changed:
            self.count = 0

    def wait_for_quiet(self, seconds: float = 5.0) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout=seconds)


_in_flight = _RequestsInFlight()
request_started.connect(_in_flight.started, dispatch_uid="browser-requests-started")
request_finished.connect(_in_flight.finished, dispatch_uid="browser-requests-finished")


def _after_the_servers_requests(execute: Callable[..., Any], *args: Any) -> Any:
    if threading.current_thread() is threading.main_thread():
        _in_flight.wait_for_quiet()
    return execute(*args)


@pytest.fixture(autouse=True)
def _test_queries_wait_for_the_live_server() -> Iterator[None]:
    with connection.execute_wrapper(_after_the_servers_requests):
        yield
    _in_flight.wait_for_quiet()  # before the database is flushed for the next test
    _in_flight.reset()  # a request cut off without an end never slows the next test


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone with JavaScript."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    yield context.new_page()
    context.close()


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
