"""A person's own data as a ZIP (account page, API), and the public privacy notice."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import Event, EvidencePhoto, Notification, RoleKind
from inspections.personal_data_archive import personal_data_chunks
from inspections.services import inspection_create, photo_attach, token_issue
from inspections.services.accounts import sessions_end_all
from inspections.services.people import role_grant
from inspections.services.personal_data import personal_data_download
from tests.accounts import totp_device
from tests.factories import jpeg_bytes
from tests.inspections.builders import assign
from tests.inspections.test_photos import jpeg_with_exif

pytestmark = pytest.mark.django_db

URL = "/tai-khoan/du-lieu-ca-nhan.zip"
API_URL = "/api/v1/me/personal-data.zip"


@pytest.fixture(autouse=True)
def _no_earlier_downloads() -> Any:
    """The download limit counts in the local cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


def _zip(chunks: Any) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    return archive


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def story(inspection: Any, open_round: Any, org: Any, cast: Any) -> Any:
    """The inspector: two photos (one with GPS), a role added and their sessions ended by
    Internal Affairs, a token and an authenticator; another inspector with a photo of their own."""
    inspector = cast.inspector
    gps, _new = photo_attach(
        by=inspector,
        inspection=inspection,
        data=jpeg_with_exif(Image.new("RGB", (90, 60), (20, 120, 60)), gps=True),
        criterion_code="A1",
    )
    plain, _new = photo_attach(by=inspector, inspection=inspection, data=jpeg_bytes())
    assign(open_round, org.ward, cast.other_inspector, by=cast.internal_affairs)
    theirs, _new = inspection_create(by=cast.other_inspector, round=open_round, unit=org.ward)
    other, _new = photo_attach(
        by=cast.other_inspector, inspection=theirs, data=jpeg_bytes(colour=(200, 10, 10))
    )
    role_grant(by=cast.internal_affairs, user=inspector, kind=RoleKind.OFFICE, unit=org.school)
    sessions_end_all(user=inspector, by=cast.internal_affairs)
    token, secret = token_issue(user=inspector, device="Điện thoại")
    device = totp_device(inspector)

    class Story:
        pass

    story = Story()
    story.__dict__.update(
        inspector=inspector,
        mine=[gps, plain],
        other=other,
        token=token,
        secret=secret,
        device=device,
    )
    return story


def test_the_zip_holds_the_persons_data_and_nobody_elses(story: Any, cast: Any) -> None:
    inspector = story.inspector
    archive = _zip(personal_data_chunks(inspector))
    names = set(archive.namelist())
    assert {"README.txt", "tai-khoan.json", "vai-tro.csv", "anh.csv", "nhat-ky.csv"} <= names
    assert {"thong-bao.csv", "ma-api.csv"} <= names

    account = json.loads(archive.read("tai-khoan.json"))
    assert account["username"] == "kiemtra1" and account["email"] == inspector.email
    assert account["full_name"] == inspector.profile.full_name

    roles = _rows(archive, "vai-tro.csv")
    assert {(r["Mã vai trò"], r["Mã đơn vị"]) for r in roles} == {
        ("inspector", "SNV"),
        ("office", "THANLAC"),
    }

    photos = _rows(archive, "anh.csv")
    assert {r["Mã ảnh"] for r in photos} == {str(p.pk) for p in story.mine}
    gps = next(r for r in photos if r["Mã ảnh"] == str(story.mine[0].pk))
    assert gps["Mã đơn vị"] == "PANLAC" and gps["Tiêu chí"] == "A1"
    assert gps["Vĩ độ"].startswith("10.77") and gps["Kinh độ"].startswith("106.68")
    assert gps["Thời điểm chụp"].startswith("2026-11-20T09:30")
    for photo in story.mine:
        row = next(r for r in photos if r["Mã ảnh"] == str(photo.pk))
        original = archive.read(row["Tệp ảnh gốc"])
        assert hashlib.sha256(original).hexdigest() == photo.sha256 == row["SHA-256 ảnh gốc"]
        assert archive.read(row["Tệp bản hiển thị"])[:2] == b"\xff\xd8"
    assert not [n for n in names if str(story.other.pk) in n]

    events = _rows(archive, "nhat-ky.csv")
    actions = [r["Hành động"] for r in events]
    assert actions.count("photo_added") == 2  # theirs, not the other inspector's
    assert {"inspection_created", "role_granted", "sessions_ended"} <= set(actions)
    assert actions.count("assignment_created") == 1  # Internal Affairs assigned them, once
    ended = next(r for r in events if r["Hành động"] == "sessions_ended")
    assert ended["Vai trò của bạn"] == "Được nhắc đến"
    assert str(story.other.pk) not in archive.read("nhat-ky.csv").decode()

    told = Notification.objects.filter(recipient=inspector).count()
    assert len(_rows(archive, "thong-bao.csv")) == told
    tokens = _rows(archive, "ma-api.csv")
    assert [(t["Mã"], t["Thiết bị"]) for t in tokens] == [(str(story.token.pk), "Điện thoại")]

    everything = b"".join(archive.read(n) for n in names)
    inspector.refresh_from_db()
    token = story.token
    for secret in (
        inspector.password,
        story.secret,
        token.digest,
        token.token_key,
        story.device.key,
    ):
        assert secret.encode() not in everything
    assert b"pbkdf2" not in everything and b"argon2" not in everything


def test_the_readme_explains_every_file_in_vietnamese(story: Any) -> None:
    archive = _zip(personal_data_chunks(story.inspector))
    readme = archive.read("README.txt").decode()
    assert "DỮ LIỆU CÁ NHÂN" in readme
    for name in archive.namelist():
        if "/" not in name and name != "README.txt":
            assert name in readme, name


def test_an_original_purged_by_retention_leaves_only_its_display_copy(story: Any) -> None:
    purged = story.mine[0]
    EvidencePhoto.objects.filter(pk=purged.pk).update(
        original_deleted_at=purged.uploaded_at, latitude=None, longitude=None
    )
    archive = _zip(personal_data_chunks(story.inspector))
    row = next(r for r in _rows(archive, "anh.csv") if r["Mã ảnh"] == str(purged.pk))
    assert row["Tệp ảnh gốc"] == "" and row["Vĩ độ"] == "" and row["Tệp bản hiển thị"]
    assert not [n for n in archive.namelist() if n.startswith(f"anh/ban-goc/{purged.pk}")]


def test_the_account_page_downloads_it_and_records_the_download(story: Any) -> None:
    inspector = story.inspector
    story.device.delete()  # no second factor to give in this test
    client = Client()
    client.force_login(inspector)
    page = client.get(reverse("account")).content.decode()
    assert page.count(f'action="{URL}"') == 1
    assert "<title>Tài khoản — Công Sở Xanh</title>" in page
    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "du-lieu-ca-nhan-" in response["Content-Disposition"]
    archive = _zip(response.streaming_content)
    assert {r["Mã ảnh"] for r in _rows(archive, "anh.csv")} == {str(p.pk) for p in story.mine}
    recorded = Event.objects.get(action="personal_data_downloaded")
    assert recorded.actor_id == inspector.pk and recorded.object_id == str(inspector.pk)


def test_it_is_a_post_with_csrf(story: Any) -> None:
    story.device.delete()
    client = Client(enforce_csrf_checks=True)
    client.force_login(story.inspector)
    assert client.get(URL).status_code == 405
    assert client.post(URL).status_code == 403
    assert not Event.objects.filter(action="personal_data_downloaded").exists()


def test_another_person_gets_only_their_own_data(story: Any, cast: Any) -> None:
    assert not policies.may_download_personal_data(cast.internal_affairs, story.inspector)
    assert not policies.may_download_personal_data(None, story.inspector)
    assert policies.may_download_personal_data(story.inspector, story.inspector)
    with pytest.raises(DomainError) as refused:
        personal_data_download(by=cast.internal_affairs, person=story.inspector)
    assert refused.value.problem == Problem.FORBIDDEN

    client = Client()
    client.force_login(cast.other_inspector)
    archive = _zip(client.post(URL).streaming_content)
    assert [r["Mã ảnh"] for r in _rows(archive, "anh.csv")] == [str(story.other.pk)]
    assert not [n for n in archive.namelist() if any(str(p.pk) in n for p in story.mine)]
    assert json.loads(archive.read("tai-khoan.json"))["username"] == "kiemtra2"


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.post(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Client().get(API_URL).status_code == 401


def test_the_api_gives_the_same_zip_to_a_token(story: Any) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Token {story.secret}")
    story.device.delete()
    response = client.get(API_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = _zip(response.streaming_content)
    assert {r["Mã ảnh"] for r in _rows(archive, "anh.csv")} == {str(p.pk) for p in story.mine}
    assert Event.objects.filter(action="personal_data_downloaded").count() == 1


def test_downloads_are_limited_per_hour_on_both_doors(story: Any, settings: Any) -> None:
    settings.PERSONAL_DATA_DOWNLOADS_PER_HOUR = 1
    story.device.delete()
    client = Client()
    client.force_login(story.inspector)
    assert client.post(URL).status_code == 200
    refused = client.post(URL)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    api = Client(HTTP_AUTHORIZATION=f"Token {story.secret}").get(API_URL)
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert api.json()["code"] == "throttled"
    assert Event.objects.filter(action="personal_data_downloaded").count() == 1


def test_a_head_on_the_api_gives_the_headers_without_a_download(story: Any, settings: Any) -> None:
    """`curl -I` twice, then the real download: the HEADs neither count nor are recorded."""
    settings.PERSONAL_DATA_DOWNLOADS_PER_HOUR = 1
    story.device.delete()
    client = Client(HTTP_AUTHORIZATION=f"Token {story.secret}")
    for _ in range(2):
        head = client.head(API_URL)
        assert head.status_code == 200 and head["Content-Type"] == "application/zip"
        assert "du-lieu-ca-nhan-" in head["Content-Disposition"]
        assert head["Cache-Control"] == "private, no-store"
        assert "Content-Length" not in head  # not "0": the file is not empty
    assert not Event.objects.filter(action="personal_data_downloaded").exists()
    download = client.get(API_URL)
    assert download.status_code == 200
    assert Event.objects.filter(action="personal_data_downloaded").count() == 1
    assert Client().head(API_URL).status_code == 401


def test_a_head_on_the_account_pages_door_is_refused_and_uses_up_nothing(
    story: Any, settings: Any
) -> None:
    settings.PERSONAL_DATA_DOWNLOADS_PER_HOUR = 1
    story.device.delete()
    client = Client()
    client.force_login(story.inspector)
    assert client.head(URL).status_code == 405
    assert not Event.objects.filter(action="personal_data_downloaded").exists()
    assert client.post(URL).status_code == 200


@pytest.mark.parametrize(
    ("language", "when", "back"),
    [
        ("vi", "Hãy tải lại sau khoảng 60 phút.", "Quay lại trang Tài khoản"),
        ("en", "Please download it again in about 60 minutes.", "Back to your account"),
    ],
)
def test_a_refused_download_says_when_to_come_back_and_leads_back_to_the_account_page(
    story: Any, settings: Any, language: str, when: str, back: str
) -> None:
    settings.PERSONAL_DATA_DOWNLOADS_PER_HOUR = 1
    story.device.delete()
    client = Client()
    client.force_login(story.inspector)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(URL)
    refused = client.post(URL)
    assert refused.status_code == 429 and 3590 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert f'<html lang="{language}">' in html
    assert when in html
    assert html.count("thử lại sau") == html.lower().count("try again") == 0  # said once, when
    assert f'href="{reverse("account")}#personal-data-title">{back}</a>' in html
    assert 'href="/">' not in html.split("</header>")[1]  # not sent to the home page

    api = Client(HTTP_AUTHORIZATION=f"Token {story.secret}", HTTP_ACCEPT_LANGUAGE=language)
    assert when in api.get(API_URL).json()["detail"]


def test_the_queries_do_not_grow_with_the_number_of_photos(
    story: Any, django_assert_max_num_queries: Any
) -> None:
    template = story.mine[1]
    copies = []
    for _ in range(60):
        copies.append(
            EvidencePhoto(
                id=uuid.uuid4(),
                inspection_id=template.inspection_id,
                original=template.original.name,
                display=template.display.name,
                thumbnail=template.thumbnail.name,
                content_type=template.content_type,
                sha256=template.sha256,
                uploaded_by=story.inspector,
            )
        )
    EvidencePhoto.objects.bulk_create(copies)
    for index in range(300):
        Event.objects.create(
            actor=story.inspector, action="answer_set", object_type="inspection", object_id=index
        )
    with django_assert_max_num_queries(12):
        archive = _zip(personal_data_chunks(story.inspector))
    assert len(_rows(archive, "anh.csv")) == 62
    assert len([n for n in archive.namelist() if n.startswith("anh/ban-goc/")]) == 62


# --- The privacy notice ------------------------------------------------------------------------


def test_the_privacy_notice_is_public_and_takes_its_figures_from_settings(
    client: Client, settings: Any
) -> None:
    settings.EVIDENCE_ORIGINAL_RETENTION_MONTHS = 18
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 1095
    settings.PRIVACY_CONTACT_EMAIL = "baove-dulieu@donghai.gov.vn"
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xoá 18 tháng sau khi kết quả đợt" in page
    assert "quá 1095 ngày kể từ khi tải lên" in page
    assert "Xoá khi kết quả đợt được công bố" in page  # positions, by default
    assert "mailto:baove-dulieu@donghai.gov.vn" in page
    assert "13/2023/NĐ-CP" in page and "Luật Bảo vệ dữ liệu cá nhân" in page
    assert "<script>" not in page and "style=" not in page

    settings.EVIDENCE_ORIGINAL_RETENTION_MONTHS = 0
    settings.EVIDENCE_ORIGINAL_RETENTION_DAYS = 0
    settings.EVIDENCE_POSITION_RETENTION_DAYS = 30
    del settings.PRIVACY_CONTACT_EMAIL
    page = client.get(reverse("privacy")).content.decode()
    assert "Chưa đặt thời hạn" in page and "mailto:" not in page
    assert "Xoá 30 ngày sau khi kết quả đợt được công bố" in page


def test_the_privacy_notice_is_in_english_too(client: Client) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Privacy notice: how your personal data is processed" in page
    assert "Who sees it" in page and "Decree 13/2023/NĐ-CP" in page


def test_the_sign_in_page_the_footer_and_the_camera_link_to_it(
    client: Client, inspection: Any, inspector_client: Client
) -> None:
    link = f'href="{reverse("privacy")}"'
    assert link in client.get(reverse("login")).content.decode()
    checklist = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    camera = checklist.index("Chụp ảnh")
    assert link in checklist[camera : camera + 1500]
