"""Notifications as the mobile app reads them: written out in the request's language."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections import notices
from inspections.models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    todo = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "category",
            "title",
            "body",
            "todo",
            "link",
            "created_at",
            "read",
            "read_at",
        ]

    def _notice(self, row: Notification) -> notices.Notice:
        cache: dict[int, notices.Notice] = self.context.setdefault("_notices", {})
        if row.pk not in cache:
            cache[row.pk] = notices.notice_of(row)
        return cache[row.pk]

    def get_title(self, row: Notification) -> str:
        return self._notice(row).title

    def get_body(self, row: Notification) -> str:
        return self._notice(row).body

    def get_todo(self, row: Notification) -> str:
        return self._notice(row).todo

    def get_link(self, row: Notification) -> str:
        """The page it leads to, as an absolute URL."""
        request = self.context.get("request")
        path = self._notice(row).link
        return request.build_absolute_uri(path) if request is not None else path

    def get_read(self, row: Notification) -> bool:
        return row.read_at is not None


class ReadAllSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")
