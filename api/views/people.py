"""Signing in for a token, and who am I."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.common import UnitBriefSerializer, UserBriefSerializer
from api.views.base import ApiView, errors
from inspections import access


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class RoleSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    kind_name = serializers.CharField(source="get_kind_display")
    unit = UnitBriefSerializer(allow_null=True)


class MeSerializer(UserBriefSerializer):
    email = serializers.EmailField(allow_blank=True)
    roles = RoleSerializer(many=True)
    units = UnitBriefSerializer(many=True)


class TokenView(ApiView):
    """Exchange a username and password for an API token (anonymous rate limit applies)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **errors(400)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=body.validated_data["username"],
            password=body.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"password": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(ApiView):
    @extend_schema(responses={200: MeSerializer, **errors(401)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        user: Any = request.user
        roles = access.roles_of(user)
        units = list({unit.pk: unit for unit in access.own_units(user)}.values())
        data = {
            "id": user.pk,
            "username": user.username,
            "get_full_name": user.get_full_name(),
            "email": user.email,
            "roles": roles,
            "units": units,
        }
        return Response(MeSerializer(data).data, status=status.HTTP_200_OK)
