"""The product installs to a phone's home screen: Chromium's own installability check, the one
Lighthouse reports, finds nothing missing on the sign-in page or on a signed-in page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.test_office_and_rounds import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def installed_phone(browser: Any, tmp_path: Any) -> Any:
    """A phone with a profile on disk: Chromium never offers to install from a private window,
    which is what a plain browser context is."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        viewport=PHONE,
        locale="vi-VN",
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def installability_errors(page: Any) -> list[str]:
    session = page.context.new_cdp_session(page)
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    found = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    return [error["errorId"] for error in found]


def test_chromium_finds_the_product_installable(
    live_server: Any, installed_phone: Any, cast: Any
) -> None:
    phone = installed_phone
    phone.goto(f"{live_server.url}/dang-nhap/")
    phone.wait_for_load_state("networkidle")
    assert installability_errors(phone) == []
    log_in(phone, live_server.url, cast.ward_office.username)
    phone.wait_for_load_state("networkidle")
    assert installability_errors(phone) == []
    icon = phone.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200
