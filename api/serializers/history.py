"""An inspection's timeline and the differences between two of its revisions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TimelineEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_blank=True)
    action = serializers.CharField(help_text=_("mã sự kiện, ví dụ inspection_returned"))
    summary = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    criteria = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField(help_text=_("số sự kiện liên tiếp được gộp (chấm, ảnh)"))


class CriterionChangeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    old_value = serializers.CharField()
    new_value = serializers.CharField()
    old_note = serializers.CharField(allow_blank=True)
    new_note = serializers.CharField(allow_blank=True)
    old_points = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    new_points = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    value_changed = serializers.BooleanField()
    note_changed = serializers.BooleanField()
    points_changed = serializers.BooleanField()


class RevisionReasonSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField()
    reason = serializers.CharField()


class DiffSerializer(serializers.Serializer[Any]):
    inspection = serializers.UUIDField(source="inspection.pk")
    revision = serializers.IntegerField(source="inspection.revision")
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    old_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    new_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    old_class = serializers.CharField(allow_blank=True)
    new_class = serializers.CharField(allow_blank=True)
    reasons = serializers.SerializerMethodField()
    changes = CriterionChangeSerializer(many=True)

    def get_reasons(self, diff: Any) -> list[dict[str, Any]]:
        return [{"revision": n, "reason": reason} for n, reason in diff.reasons]
