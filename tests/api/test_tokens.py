"""Tokens with a life: one per device, expiring, sliding, listed and revoked by their owner,
dead after a password change or a deactivation, whatever path made it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminPasswordChangeForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from inspections import services
from inspections.models import ApiToken, Event
from tests.api.conftest import body
from tests.factories import make_user

PASSWORD = "matkhau-thu-nghiem"
NEW_PASSWORD = "mat-khau-moi-2027"


@pytest.fixture
def lan(db: Any) -> Any:
    return make_user("lan", None, None)


def sign_in(username: str = "lan", password: str = PASSWORD, **extra: Any) -> Any:
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def with_token(secret: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {secret}")


def new_token(user: Any, device: str = "") -> str:
    return services.token_issue(user=user, device=device)[1]


def test_signing_in_answers_a_token_and_its_expiry(lan: Any, settings: Any) -> None:
    response = sign_in(device="iPhone của Lan")
    assert response.status_code == 200
    answer = body(response)
    assert set(answer) == {"token", "expiry"}
    expiry = datetime.datetime.fromisoformat(answer["expiry"])
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs((expiry - expected).total_seconds()) < 60
    assert with_token(answer["token"]).get("/api/v1/me/").status_code == 200
    stored = ApiToken.objects.get(user=lan)
    assert stored.device == "iPhone của Lan"
    assert answer["token"] not in (stored.digest, stored.token_key)  # only a hash is kept
    lan.refresh_from_db()
    assert lan.last_login is not None


def test_each_sign_in_is_its_own_device_named_by_its_user_agent(lan: Any) -> None:
    first = body(sign_in())["token"]
    second = APIClient(HTTP_USER_AGENT="CongSoXanh/2.1 (Android 14)\x07").post(
        "/api/v1/auth/token/", {"username": "lan", "password": PASSWORD}, format="json"
    )
    assert first != body(second)["token"]
    assert sorted(ApiToken.objects.values_list("device", flat=True)) == [
        "",
        "CongSoXanh/2.1 (Android 14)",
    ]


def test_signing_out_revokes_only_the_token_in_use(lan: Any) -> None:
    phone, laptop = new_token(lan, "điện thoại"), new_token(lan, "máy tính")
    response = with_token(phone).delete("/api/v1/auth/token/")
    assert response.status_code == 204
    assert with_token(phone).get("/api/v1/me/").status_code == 401
    assert with_token(laptop).get("/api/v1/me/").status_code == 200
    assert Event.objects.filter(action="token_revoke", object_id=str(lan.pk)).exists()


def test_signing_out_needs_a_token(lan: Any) -> None:
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401
    signed_in_by_session = APIClient()
    signed_in_by_session.force_login(lan)
    assert signed_in_by_session.delete("/api/v1/auth/token/").status_code == 401


def test_a_stale_token_in_the_header_does_not_stop_signing_in(lan: Any) -> None:
    response = APIClient(HTTP_AUTHORIZATION="Token " + "f" * 64).post(
        "/api/v1/auth/token/", {"username": "lan", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_an_expired_token_is_refused_and_removed(lan: Any) -> None:
    secret = new_token(lan)
    ApiToken.objects.filter(user=lan).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = with_token(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert "hết hạn" in body(response)["detail"]
    assert response["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.filter(user=lan).exists()


def test_use_slides_the_expiry_but_writes_at_most_once_an_hour(lan: Any) -> None:
    secret = new_token(lan)
    client = with_token(secret)
    token = ApiToken.objects.get(user=lan)
    issued_expiry = token.expiry

    def token_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me/").status_code == 200
        return sum(
            q["sql"].startswith("UPDATE") and "inspections_apitoken" in q["sql"]
            for q in queries.captured_queries
        )

    assert [token_writes() for _ in range(5)] == [0, 0, 0, 0, 0]
    token.refresh_from_db()
    assert token.expiry == issued_expiry

    # Time travel: the token was last refreshed 61 minutes ago.
    hour_ago = timezone.now() - datetime.timedelta(minutes=61)
    ApiToken.objects.filter(pk=token.pk).update(
        expiry=token.expiry - datetime.timedelta(minutes=61), last_used=hour_ago
    )
    caches["auth"].clear()  # a change around the ORM is seen once AUTH_CACHE_SECONDS passed
    assert [token_writes() for _ in range(3)] == [1, 0, 0]
    token.refresh_from_db()
    assert token.expiry > issued_expiry
    assert token.last_used is not None and token.last_used > hour_ago


def set_password_and_save(user: Any) -> None:
    user.set_password(NEW_PASSWORD)
    user.save()


def password_change_form(user: Any) -> None:
    form = PasswordChangeForm(
        user,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert form.is_valid(), form.errors
    form.save()


def password_reset_form(user: Any) -> None:
    form = SetPasswordForm(user, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()


def admin_password_form(user: Any) -> None:
    form = AdminPasswordChangeForm(user, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()


def queryset_update(user: Any) -> None:
    get_user_model().objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))


def unusable_password(user: Any) -> None:
    user.set_unusable_password()
    user.save()


@pytest.mark.parametrize(
    "change",
    [
        set_password_and_save,
        password_change_form,
        password_reset_form,
        admin_password_form,
        queryset_update,
        unusable_password,
    ],
)
def test_a_password_change_by_any_path_kills_every_token_of_the_user(lan: Any, change: Any) -> None:
    phone, laptop = new_token(lan), new_token(lan)
    other = make_user("binh", None, None)
    bystander = new_token(other)
    change(lan)
    for secret in (phone, laptop):
        response = with_token(secret).get("/api/v1/me/")
        assert response.status_code == 401
        assert "không còn hiệu lực" in body(response)["detail"]
    assert with_token(bystander).get("/api/v1/me/").status_code == 200
    if change is not unusable_password:
        fresh = body(sign_in(password=NEW_PASSWORD))["token"]
        assert with_token(fresh).get("/api/v1/me/").status_code == 200


def test_the_list_hides_tokens_of_an_old_password(lan: Any) -> None:
    new_token(lan, "cũ")
    set_password_and_save(lan)
    fresh = new_token(lan, "mới")
    listed = body(with_token(fresh).get("/api/v1/auth/tokens/"))["results"]
    assert [t["device"] for t in listed] == ["mới"]


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_deactivated_user_is_refused_with_every_token(lan: Any, how: str) -> None:
    secret = new_token(lan)
    if how == "save":
        lan.is_active = False
        lan.save()
    else:
        get_user_model().objects.filter(pk=lan.pk).update(is_active=False)
    assert with_token(secret).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=lan).exists()


def test_the_list_shows_the_owners_devices_and_never_a_secret(lan: Any) -> None:
    phone = new_token(lan, "điện thoại")
    new_token(lan, "máy tính")
    other = make_user("binh", None, None)
    new_token(other, "máy của Bình")
    response = with_token(phone).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    listed = body(response)["results"]
    assert sorted(t["device"] for t in listed) == ["máy tính", "điện thoại"]
    assert [t["current"] for t in listed if t["device"] == "điện thoại"] == [True]
    assert set(listed[0]) == {"id", "device", "created", "last_used", "expiry", "current"}
    text = response.content.decode()
    for token in ApiToken.objects.all():
        assert token.digest not in text and token.token_key not in text
    assert phone not in text


def test_the_list_is_also_read_in_a_web_session(lan: Any) -> None:
    new_token(lan, "điện thoại")
    client = APIClient()
    client.force_login(lan)
    listed = body(client.get("/api/v1/auth/tokens/"))["results"]
    assert [(t["device"], t["current"]) for t in listed] == [("điện thoại", False)]


def test_a_lost_phone_is_revoked_by_its_id_and_another_users_token_is_a_404(lan: Any) -> None:
    phone, laptop = new_token(lan, "điện thoại mất"), new_token(lan, "máy tính")
    other = make_user("binh", None, None)
    binh = new_token(other)
    lost = ApiToken.objects.get(device="điện thoại mất")
    assert with_token(binh).delete(f"/api/v1/auth/tokens/{lost.pk}/").status_code == 404
    assert with_token(laptop).delete("/api/v1/auth/tokens/khong-phai-uuid/").status_code == 404
    assert with_token(phone).get("/api/v1/me/").status_code == 200
    assert with_token(laptop).delete(f"/api/v1/auth/tokens/{lost.pk}/").status_code == 204
    assert with_token(phone).get("/api/v1/me/").status_code == 401
    assert with_token(laptop).get("/api/v1/me/").status_code == 200


def test_signing_out_everywhere_revokes_every_token_of_the_user_only(lan: Any) -> None:
    phone, laptop = new_token(lan), new_token(lan)
    other = make_user("binh", None, None)
    binh = new_token(other)
    response = with_token(phone).post("/api/v1/auth/tokens/revoke-all/")
    assert (response.status_code, body(response)) == (200, {"revoked": 2})
    assert with_token(phone).get("/api/v1/me/").status_code == 401
    assert with_token(laptop).get("/api/v1/me/").status_code == 401
    assert with_token(binh).get("/api/v1/me/").status_code == 200
    event = Event.objects.get(action="tokens_revoke_all")
    assert (event.actor, event.object_id, event.data) == (lan, str(lan.pk), {"count": 2})


def test_the_revocation_service_is_what_a_deactivation_calls(lan: Any, cast: Any) -> None:
    secret = new_token(lan)
    assert services.tokens_revoke_all(user=lan, by=cast.internal_affairs) == 1
    assert with_token(secret).get("/api/v1/me/").status_code == 401
    assert Event.objects.get(action="tokens_revoke_all").actor == cast.internal_affairs


def test_one_more_device_than_allowed_ends_the_least_recently_used(lan: Any, settings: Any) -> None:
    settings.API_TOKENS_PER_USER = 2
    oldest = new_token(lan, "cũ nhất")
    ApiToken.objects.filter(device="cũ nhất").update(
        last_used=timezone.now() - datetime.timedelta(days=3)
    )
    new_token(lan, "thứ hai")
    new_token(lan, "thứ ba")
    assert sorted(ApiToken.objects.values_list("device", flat=True)) == ["thứ ba", "thứ hai"]
    assert with_token(oldest).get("/api/v1/me/").status_code == 401


def test_signing_in_clears_every_expired_token(lan: Any) -> None:
    other = make_user("binh", None, None)
    new_token(other, "đã hết hạn")
    new_token(other, "còn hạn")
    ApiToken.objects.filter(device="đã hết hạn").update(expiry=timezone.now())
    new_token(lan)
    assert sorted(ApiToken.objects.values_list("device", flat=True)) == ["", "còn hạn"]


def test_a_rotated_secret_key_keeps_tokens_alive_through_its_fallback(
    lan: Any, settings: Any
) -> None:
    secret = new_token(lan)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    assert with_token(secret).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token " + "g" * 64,
        "Token " + "a" * 63,
        "Token " + "a" * 65,
        "Token " + "é" * 64,
        "Token " + "a" * 32 + "\x00" + "a" * 31,
        "Token " + "A" * 64,
    ],
)
def test_a_malformed_token_is_a_401_never_a_500(db: Any, header: str) -> None:
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
    assert response.status_code == 401
    assert body(response)["code"] == "authentication_failed"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Tên đăng nhập dài tối đa 150 ký tự."),
        ("en", "A username has at most 150 characters."),
    ],
)
def test_a_username_longer_than_any_account_is_refused_in_the_readers_language(
    db: Any, language: str, message: str
) -> None:
    answer = APIClient(HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/v1/auth/token/", {"username": "a" * 5000, "password": "sai"}, format="json"
    )
    assert answer.status_code == 400
    assert body(answer)["errors"] == {"username": [message]}
