"""The inbox over the API: list (with the unread count), read one, read all."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from api.serializers.notifications import NotificationSerializer, ReadAllSerializer
from api.views.base import ApiView, errors, filter_parameters, get_visible
from inspections import policies, selectors, services
from inspections.models import Notification
from inspections.selectors.filters import NotificationFilter


class _OwnInbox(ApiView):
    # Reading one's own notifications is not a change to the movement: leaders too.
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.all()
    serializer_class: type[Serializer[Any]] = NotificationSerializer


class NotificationListView(_OwnInbox):
    @extend_schema(
        parameters=filter_parameters(NotificationFilter),
        responses={
            200: inline_serializer(
                name="NotificationPage",
                fields={
                    "count": serializers.IntegerField(),
                    "unread_count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": NotificationSerializer(many=True),
                },
            ),
            **errors(400, 401),
        },
        description="The signed-in person's notifications, newest first; `unread_count` is "
        "the bell's number.",
    )
    def get(self, request: Request) -> Response:
        rows = selectors.notification_list(user=request.user, query=request.query_params)
        page = self.paginate_queryset(rows)
        data = NotificationSerializer(page, many=True, context={"request": request}).data
        response = self.get_paginated_response(data)
        response.data["unread_count"] = selectors.unread_count(request.user)
        return response


class NotificationReadView(_OwnInbox):
    @extend_schema(request=None, responses={200: NotificationSerializer, **errors(401, 404)})
    def post(self, request: Request, pk: str) -> Response:
        notification = get_visible(Notification.objects.filter(recipient_id=request.user.pk), pk)
        services.notification_read(by=policies.acting(request.user), notification=notification)
        return Response(NotificationSerializer(notification, context={"request": request}).data)


class NotificationReadAllView(_OwnInbox):
    serializer_class = ReadAllSerializer

    @extend_schema(request=None, responses={200: ReadAllSerializer, **errors(401)})
    def post(self, request: Request) -> Response:
        marked = services.notifications_read_all(by=policies.acting(request.user))
        return Response({"marked": marked})
