"""A leader finds the data export from the round page, asks for a file, and gets it."""

from __future__ import annotations

import zipfile
from typing import Any

import pytest

from inspections.models import ExportJob
from tests.browser.test_checklist import serious_violations
from tests.browser.test_office_and_rounds import both_sizes, log_in
from tests.inspections.builders import approved_inspection

pytestmark = pytest.mark.browser


def test_a_leader_exports_a_round_s_data_and_its_evidence(
    live_server: Any, phone: Any, open_round: Any, org: Any, cast: Any, tmp_path: Any
) -> None:
    approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    base = live_server.url
    log_in(phone, base, "lanhdao")
    phone.goto(f"{base}/dot/{open_round.pk}/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="ảnh minh chứng (ZIP, bản hiển thị)").click()
    saved = tmp_path / "minh-chung.zip"
    download.value.save_as(saved)
    assert "manifest.csv" in zipfile.ZipFile(saved).namelist()

    phone.get_by_role("link", name="toàn bộ kết quả của đợt (XLSX, CSV)").click()
    phone.wait_for_url(f"{base}/xuat/du-lieu/?dot={open_round.pk}")
    both_sizes(phone, "data-export")
    assert serious_violations(phone) == []
    phone.get_by_label("CSV").check()
    phone.get_by_role("button", name="Tạo tệp").click()
    job = ExportJob.objects.get()
    phone.wait_for_url(f"{base}/xuat/{job.pk}/")
    assert phone.get_by_role("heading", name=job.filename).is_visible()
