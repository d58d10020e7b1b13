"""Invitations, passwords, sessions and two-factor sign-in on the web and the token endpoint."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspections.models import ApiToken, Event, Invitation, RoleKind
from inspections.services import accounts, token_issue
from inspections.services.people import person_create
from tests.accounts import code_for, sign_in, totp_device
from tests.factories import make_user

NEW_PASSWORD = "Xanh-sach-dep-2027"


def link_in(text: str) -> str:
    found = re.search(r"https?://\S+", text)
    assert found, text
    return "/" + found.group(0).split("/", 3)[3]


def test_an_invitation_goes_out_by_smtp_in_vietnamese_with_text_and_html(
    cast: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person_create(
            by=cast.internal_affairs,
            username="tuan",
            full_name="Lê Minh Tuấn",
            email="tuan@example.vn",
        )
    [message] = smtp.messages
    assert message["To"] == "tuan@example.vn"
    assert message["Subject"].strip() == "Lời mời tham gia Công Sở Xanh của Sở Nội vụ"
    text, html = smtp.text_of(message), smtp.html_of(message)
    assert "Kính gửi Lê Minh Tuấn," in text and "Tên đăng nhập: tuan" in text
    assert "<strong>tuan</strong>" in html and link_in(text) in html


def test_an_invitation_in_english_for_a_person_who_reads_english(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person_create(
            by=cast.internal_affairs,
            username="minh",
            full_name="Trần Minh",
            email="minh@example.vn",
            language="en",
        )
    [message] = mail.outbox
    assert "Invitation" in message.subject and "Dear Trần Minh," in message.body
    assert message.alternatives[0][1] == "text/html"


def test_the_link_sets_a_password_once_then_signs_in_to_the_role_home(
    cast: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = person_create(
            by=cast.internal_affairs, username="an", full_name="Nguyễn Văn An", email="a@x.vn"
        )
    user.roles.create(kind=RoleKind.INSPECTOR, unit=org.tai_chinh)
    url = link_in(mail.outbox[0].body)
    browser = Client()
    assert "Nguyễn Văn An" in browser.get(url).content.decode()
    weak = browser.post(url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 400 and "Mật khẩu quá ngắn" in weak.content.decode()
    done = browser.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("home")
    assert "Việc của tôi" in browser.get(reverse("home")).content.decode()
    again = Client().get(url)
    assert again.status_code == 410 and "đã được dùng" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_or_replaced_link_is_refused_with_a_clear_page(cast: Any) -> None:
    user = person_create(by=cast.internal_affairs, username="b", full_name="Phạm Bình")
    first = accounts.invitation_send(by=cast.internal_affairs, user=user)
    second = accounts.invitation_send(by=cast.internal_affairs, user=user)
    replaced = Client().get(reverse("invitation", args=[first]))
    assert replaced.status_code == 410 and "đã hết hạn" in replaced.content.decode()
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - datetime.timedelta(1))
    expired = Client().get(reverse("invitation", args=[second]))
    assert expired.status_code == 410 and "gửi lại lời mời" in expired.content.decode()
    assert Client().get(reverse("invitation", args=["khong-co"])).status_code == 404


def test_a_password_change_revokes_tokens_and_signs_out_other_sessions(cast: Any) -> None:
    user = cast.inspector
    _token, secret = token_issue(user=user, device="phone")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/me/").status_code == 200
    here, elsewhere = sign_in(user), sign_in(user)
    changed = here.post(
        reverse("password-change"),
        {
            "old_password": "matkhau-thu-nghiem",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert changed["Location"] == reverse("account")
    assert api.get("/api/v1/me/").status_code == 401
    assert here.get(reverse("account")).status_code == 200
    assert elsewhere.get(reverse("account"))["Location"].startswith(reverse("login"))
    assert Event.objects.filter(action="password_changed", object_id=str(user.pk)).exists()


def test_a_wrong_old_password_or_a_weak_one_is_a_form_error_in_vietnamese(cast: Any) -> None:
    client = sign_in(cast.inspector)
    wrong = client.post(
        reverse("password-change"),
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 400 and "Mật khẩu cũ không chính xác" in wrong.content.decode()
    common = client.post(
        reverse("password-change"),
        {
            "old_password": "matkhau-thu-nghiem",
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert "Mật khẩu này quá phổ biến." in common.content.decode()


def test_sign_out_everywhere_ends_every_session_and_clears_this_browser(cast: Any) -> None:
    here, elsewhere = sign_in(cast.inspector), sign_in(cast.inspector)
    token_issue(user=cast.inspector, device="phone")
    response = here.post(reverse("sign-out-everywhere"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    for client in (here, elsewhere):
        assert client.get(reverse("account"))["Location"].startswith(reverse("login"))
    assert not ApiToken.objects.filter(user=cast.inspector).exists()


def test_logging_out_asks_the_browser_to_forget_the_offline_data(cast: Any) -> None:
    response = sign_in(cast.inspector).post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_reset_answers_the_same_whether_the_address_exists_or_not(cast: Any, smtp: Any) -> None:
    cast.inspector.email = "kiemtra1@example.vn"
    cast.inspector.save()
    known = Client().post(reverse("password-reset"), {"email": "kiemtra1@example.vn"})
    unknown = Client().post(reverse("password-reset"), {"email": "ai-do@example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password-reset-sent")
    [message] = smtp.messages
    url = link_in(smtp.text_of(message))
    form = Client()
    page = form.get(url, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else url
    done = form.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password-reset-done")
    cast.inspector.refresh_from_db()
    assert cast.inspector.check_password(NEW_PASSWORD)


def test_an_admin_set_password_must_be_changed_at_the_next_sign_in(cast: Any) -> None:
    accounts.password_set_by_admin(
        by=cast.internal_affairs, user=cast.ward_office, password="Tam-thoi-2027"
    )
    client = Client()
    client.post(reverse("login"), {"username": "panlac", "password": "Tam-thoi-2027"})
    assert client.get(reverse("home"))["Location"].startswith(reverse("password-change"))
    client.post(
        reverse("password-change"),
        {
            "old_password": "Tam-thoi-2027",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert client.get(reverse("home"))["Location"] == reverse("unit-home")


def test_internal_affairs_must_enrol_then_give_a_code_at_every_sign_in(cast: Any) -> None:
    client = Client()
    client.post(reverse("login"), {"username": "noivu", "password": "matkhau-thu-nghiem"})
    assert client.get(reverse("review-queue"))["Location"].startswith(reverse("two-factor-enrol"))
    page = client.get(reverse("two-factor-enrol")).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = get_user_model().objects.get(username="noivu").totpdevice_set.get()
    wrong = client.post(reverse("two-factor-enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    codes_page = client.post(reverse("two-factor-enrol"), {"code": code_for(device)})
    codes = re.findall(r"<code>(\w+)</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("review-queue")).status_code == 200
    again = Client()
    again.post(reverse("login"), {"username": "noivu", "password": "matkhau-thu-nghiem"})
    assert again.get(reverse("review-queue"))["Location"].startswith(reverse("two-factor"))
    assert again.post(reverse("two-factor"), {"code": codes[0]})["Location"] == "/"
    third = Client()
    third.post(reverse("login"), {"username": "noivu", "password": "matkhau-thu-nghiem"})
    used = third.post(reverse("two-factor"), {"code": codes[0]})
    assert used.status_code == 400


def test_the_token_endpoint_asks_internal_affairs_for_its_code(cast: Any) -> None:
    device = totp_device(cast.internal_affairs)
    url = "/api/v1/auth/token/"
    credentials = {"username": "noivu", "password": "matkhau-thu-nghiem"}
    missing = APIClient().post(url, credentials, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()["errors"]
    good = APIClient().post(url, {**credentials, "otp": code_for(device)}, format="json")
    assert good.status_code == 200 and good.json()["token"]
    wrong = APIClient().post(url, {**credentials, "otp": "000000"}, format="json")
    assert wrong.status_code == 400 and "otp" in wrong.json()["errors"]
    plain = {"username": "kiemtra1", "password": "matkhau-thu-nghiem"}
    assert APIClient().post(url, plain, format="json").status_code == 200


def test_an_unverified_internal_affairs_session_cannot_use_the_api(cast: Any) -> None:
    client = Client()
    client.force_login(cast.internal_affairs)
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.parametrize("username", ["kiemtra1", "panlac"])
def test_other_roles_sign_in_without_a_code(cast: Any, username: str) -> None:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": "matkhau-thu-nghiem"})
    assert client.get(reverse("account")).status_code == 200


def test_a_person_made_without_email_gets_no_mail(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person_create(by=cast.internal_affairs, username="c", full_name="Võ Thị Chi")
    assert mail.outbox == []
    assert make_user("d", None, None).profile.full_name


@pytest.fixture
def axes_on(settings: Any) -> None:
    settings.AXES_ENABLED = True


@pytest.mark.usefixtures("axes_on")
@pytest.mark.parametrize("door", ["/dang-nhap/", "/admin/login/"])
def test_a_username_longer_than_any_account_is_a_form_error_before_any_password_check(
    db: Any, door: str
) -> None:
    page = Client().post(door, {"username": "a" * 5000, "password": "sai"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tên đăng nhập dài tối đa 150 ký tự." in html
    assert "Tên đăng nhập hoặc mật khẩu không đúng." not in html
    assert not AccessAttempt.objects.exists()  # authenticate() never ran


@pytest.mark.usefixtures("axes_on")
def test_a_username_of_the_longest_length_is_checked_as_any_other(db: Any) -> None:
    make_user("a" * 150, None, None)
    page = Client().post(reverse("login"), {"username": "a" * 150, "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content.decode()
    assert AccessAttempt.objects.get().username == "a" * 150


def test_the_sign_in_field_tells_the_browser_the_longest_username(db: Any) -> None:
    page = Client().get(reverse("login")).content.decode()
    assert 'maxlength="150"' in page
