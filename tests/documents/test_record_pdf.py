"""The biên bản as a PDF, read back with poppler-utils: one record rendered per module."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from fontTools.ttLib import TTFont

from inspections.documents.fonts import FAMILY, font_files
from inspections.documents.formatting import vn_date, vn_number
from inspections.documents.record import record_unsigned_pdf
from inspections.models import Criterion
from inspections.selectors.records import record_data_for, signatures_for
from inspections.services.records import record_file
from tests.documents.poppler import read_pdf
from tests.documents.scenario import FAILED_STAR, NA_NOTES, build_visit

# The database is needed by the module fixture only; each test reads what it rendered.
pytestmark = [pytest.mark.pdf, pytest.mark.django_db]

VIETNAMESE = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂĐÊÔƠƯ"


@pytest.fixture(scope="module")
def record(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """One visit, its stored record, and a second rendering of the same data."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        visit = build_visit()
        inspection = visit.inspection
        stored = record_file(by=visit.internal_affairs, inspection=inspection)
        with default_storage.open(stored.file.name, "rb") as handle:
            pdf = handle.read()
        data = record_data_for(inspection)
        again = record_unsigned_pdf(
            data, signatures_for(inspection, revision=1, covering=data["answers_hash"])
        )
        facts = {
            "codes": list(
                Criterion.objects.filter(version_id=inspection.round.version_id).values_list(
                    "code", flat=True
                )
            ),
            "score": vn_number(inspection.score),
            "number": inspection.record_number,
            "approved_on": vn_date(inspection.approved_at),
            "photos": inspection.photos.count(),
            "sha256": stored.sha256,
        }
        transaction.set_rollback(True)
    return {"pdf": pdf, "again": again, "read": read_pdf(pdf), **facts}


def test_it_is_a_pdf_of_a4_pages(record):
    info = record["read"].info
    assert info["Page size"].startswith("595.") and "(A4)" in info["Page size"]
    assert int(info["Pages"]) >= 3
    assert info["Title"].startswith("Biên bản kiểm tra")


def test_it_carries_the_national_header_the_issuer_the_number_and_the_title(record, settings):
    words = record["read"].words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    assert "Độc lập - Tự do - Hạnh phúc" in words
    for line in settings.RECORD_ISSUER:
        assert line in words
    assert f"Số: {record['number']:02d}/BB-KT" in words
    assert "BIÊN BẢN KIỂM TRA" in words
    assert re.search(r"Hà Nội, ngày \d\d tháng (0[12]|[1-9]\d?) năm 20\d\d", words)


def test_it_lists_every_criterion_code(record):
    text = record["read"].text
    missing = [code for code in record["codes"] if not re.search(rf"\b{code}\b", text)]
    assert missing == []


def test_numbers_have_a_decimal_comma_and_dates_are_dd_mm_yyyy(record):
    words = record["read"].words
    assert re.fullmatch(r"\d{1,3},\d\d", record["score"])
    assert f"Tổng điểm: {record['score']}/100" in words
    assert record["approved_on"] in words
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", words)
    assert not re.search(r"\b\d+\.\d\d/100\b", words)


def test_it_shows_the_team_the_people_present_and_the_failed_star_item(record):
    words = record["read"].words
    for name in ("Phạm Quốc Bảo", "Đặng Thu Hương", "Nguyễn Thị Hồng Nhung", "Trần Văn Đức"):
        assert name in words
    assert "Công chức Văn phòng - Thống kê" in words
    assert f"Không đạt tiêu chí ★: {FAILED_STAR}" in words or f"{FAILED_STAR} (" in words
    assert "xếp loại không cao hơn “Đạt”" in words
    for note in NA_NOTES.values():
        assert note in words
    assert "Đề nghị đơn vị bố trí thêm thùng rác" in words


def test_it_lists_corrective_actions_with_due_dates(record):
    words = record["read"].words
    assert "IV. YÊU CẦU KHẮC PHỤC" in words
    assert re.search(rf"{FAILED_STAR} .*\d\d/\d\d/20\d\d", words)


def test_it_has_signature_blocks_and_a_photo_appendix_without_positions(record):
    words = record["read"].words
    assert "ĐẠI DIỆN ĐƠN VỊ" in words and "TRƯỞNG ĐOÀN KIỂM TRA" in words
    assert words.count("Ký lúc") == 2
    assert "PHỤ LỤC: ẢNH MINH CHỨNG" in words
    assert words.count("Chụp lúc") == record["photos"]
    assert "21.02" not in words and "105.85" not in words and "21,02" not in words


def test_page_numbers_start_on_page_two(record):
    pages = record["read"].pages
    first_lines = [page.strip().splitlines()[0].strip() for page in pages]
    assert not first_lines[0].isdigit()
    assert first_lines[1:] == [str(n) for n in range(2, len(pages) + 1)]


def test_every_font_is_embedded_and_of_one_serif_family_with_vietnamese_glyphs(record):
    fonts = record["read"].fonts
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts)
    names = [re.sub(r"^[A-Z]{6}\+", "", font["name"]) for font in fonts]
    assert all(name.startswith(FAMILY.replace(" ", "-")) for name in names), names
    assert "★" not in record["read"].raw  # drawn as an image: the family has no star
    files = font_files()
    assert files.stem in ("LiberationSerif", "Tinos")
    for suffix in ("Regular", "Bold", "Italic"):
        cmap = TTFont(files.path(suffix), lazy=True).getBestCmap()
        assert [ch for ch in VIETNAMESE if ord(ch) not in cmap] == []


def test_the_unsigned_pdf_is_the_same_bytes_when_rendered_again(record):
    assert record["again"] == record["pdf"]
