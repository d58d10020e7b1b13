"""A user's own API tokens: the list of their devices, revoking one, signing out everywhere."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.views.base import ApiView, errors, get_visible
from inspections import policies, selectors, services
from inspections.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    """Never the secret, nor its hash: a device, its dates, and whether it is this request's."""

    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "device", "created", "last_used", "expiry", "current"]

    def get_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        in_use = getattr(request, "auth", None)
        return isinstance(in_use, ApiToken) and in_use.pk == token.pk


class TokenListView(ApiView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer

    @extend_schema(
        responses={200: ApiTokenSerializer(many=True), **errors(401)},
        tags=["auth"],
        description=(
            "Các mã truy cập còn hiệu lực của bạn, mỗi thiết bị một mã; không kèm mã bí mật."
        ),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.live_tokens(user=policies.acting(request.user)))
        context = {"request": request}
        return self.get_paginated_response(
            ApiTokenSerializer(page, many=True, context=context).data
        )


class TokenDetailView(ApiView):
    """Revoke one of your tokens by its id (a lost phone); another user's is a 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema: the id is a UUID

    @extend_schema(request=None, responses={204: None, **errors(401, 404)}, tags=["auth"])
    def delete(self, request: Request, pk: str) -> Response:
        me = policies.acting(request.user)
        token = get_visible(selectors.live_tokens(user=me), pk)
        services.token_revoke(token=token, by=me)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokensRevokeAllView(ApiView):
    """Sign out everywhere: every token of the user, this one included."""

    permission_classes = [IsAuthenticated]
    serializer_class = None

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()}),
            **errors(401),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        me = policies.acting(request.user)
        revoked = services.tokens_revoke_all(user=me, by=me)
        return Response({"revoked": revoked})
