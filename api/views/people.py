"""Signing in for a token (and out of it), and who am I."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.authentication import ExpiringTokenAuthentication
from api.errors import ErrorSerializer
from api.serializers.common import UnitBriefSerializer, UserBriefSerializer
from api.views.base import ApiView, errors
from inspections import policies, ratelimits, services, signin
from inspections.errors import TooMany
from inspections.models import ApiToken, display_name
from inspections.services import two_factor


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(
        max_length=signin.username_max_length(),
        error_messages={"max_length": signin.USERNAME_TOO_LONG},
    )
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    device = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Tên thiết bị, hiện trong danh sách mã truy cập (mặc định: User-Agent)",
    )
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Mã xác thực hai bước (6 chữ số, hoặc một mã dự phòng): bắt buộc với Phòng "
        "Nội vụ, quản trị và ai đã bật xác thực hai bước.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(
        help_text="Hết hạn nếu không dùng đến lúc này; mỗi lần dùng lùi hạn lại"
    )


class RoleSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    unit = UnitBriefSerializer(allow_null=True)


class MeSerializer(UserBriefSerializer):
    email = serializers.EmailField(allow_blank=True)
    roles = RoleSerializer(many=True)
    units = UnitBriefSerializer(many=True)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": minutes
    }


class TokenView(ApiView):
    """POST: a username and password for a new token of this device. DELETE: sign out."""

    def _signing_out(self) -> bool:
        # Django's View.setup() set self.request (None while drf-spectacular builds its mock).
        return getattr(getattr(self, "request", None), "method", None) == "DELETE"

    def get_authenticators(self) -> list[Any]:
        # Signing in never reads a token (a stale one left in the header must not refuse it).
        return [ExpiringTokenAuthentication()] if self._signing_out() else []

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if self._signing_out() else [AllowAny()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            **errors(400),
            429: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Khóa tạm do đăng nhập sai nhiều lần, hoặc quá nhiều lần đăng nhập từ một"
                    " địa chỉ"
                ),
            ),
        },
        auth=[],
        tags=["auth"],
        description=(
            "Đăng nhập: một mã truy cập mới cho thiết bị này, gửi lại dạng"
            " `Authorization: Token <mã>`. Mã hết hạn sau API_TOKEN_TTL_DAYS ngày (30) không"
            " dùng; mỗi lần dùng lùi hạn lại. Giới hạn: theo địa chỉ mỗi phút và khóa tạm theo"
            " tên đăng nhập."
        ),
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        # Axes (the first backend) flags the request once this username and address are locked,
        # the limit per address (the second) once the address tried too often: a 429 with
        # Retry-After here (api/errors.py), the lockout's own page on the web (web/lockout.py).
        if getattr(request._request, "axes_locked_out", False):
            cool_off = settings.AXES_COOLOFF_TIME.total_seconds()
            raise TooMany(lockout_message(), wait=cool_off, code="locked_out")
        wait = ratelimits.login_wait(request._request)
        if wait is not None:
            raise ratelimits.too_many_logins(wait)
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"password": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}
            )
        if policies.needs_verification(user):
            code = body.validated_data.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("Tài khoản này cần mã xác thực hai bước.")]}, code="otp_required"
                )
            if not two_factor.has_second_factor(user):
                raise serializers.ValidationError(
                    {"otp": [_("Hãy bật xác thực hai bước trên trang web trước.")]}
                )
            if two_factor.second_factor_check(user=user, code=code) is None:
                raise serializers.ValidationError({"otp": [_("Mã xác thực không đúng.")]})
        device = body.validated_data.get("device") or _printable(
            request.headers.get("User-Agent", "")
        )
        token, secret = services.token_issue(user=user, device=device)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        data = {"token": secret, "expiry": token.expiry}
        return Response(TokenSerializer(data).data)

    @extend_schema(
        request=None,
        responses={204: None, **errors(401)},
        tags=["auth"],
        description="Đăng xuất: thu hồi mã truy cập đang dùng cho yêu cầu này.",
    )
    def delete(self, request: Request) -> Response:
        token = request.auth
        assert isinstance(token, ApiToken)  # the only authenticator of DELETE
        services.token_revoke(token=token, by=policies.acting(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable()).strip()[:100]


class MeView(ApiView):
    @extend_schema(responses={200: MeSerializer, **errors(401)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        user = policies.acting(request.user)
        roles = policies.roles_of(user)
        units = list({unit.pk: unit for unit in policies.own_units(user)}.values())
        data = {
            "id": user.pk,
            "username": user.username,
            "full_name": display_name(user),
            "email": user.email,
            "roles": roles,
            "units": units,
        }
        return Response(MeSerializer(data).data, status=status.HTTP_200_OK)
