"""Rounds, their rankings, and assignments of inspectors to units."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import (
    IdRelatedField,
    UnitBriefSerializer,
    User,
    UserBriefSerializer,
)
from inspections.models import Assignment, Group, ModelVersion, OrgUnit, Round


class RoundSerializer(serializers.ModelSerializer[Round]):
    class Meta:
        model = Round
        fields = ["id", "name", "version", "starts_on", "ends_on", "status", "published_at"]


class RoundCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    version = IdRelatedField(queryset=ModelVersion.objects.all())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    open = serializers.BooleanField(default=False)


class CloseSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(
        default=False,
        help_text=_("true: đã xem việc còn dở (GET …/pending/) và vẫn khóa đợt"),
    )


class PublishSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("bắt buộc khi công bố lại, hoặc khi còn phiếu chưa duyệt xong"),
    )
    confirm = serializers.BooleanField(
        default=False,
        help_text=_("true: đã xem việc còn dở (GET …/pending/) và vẫn công bố"),
    )


class PendingRowSerializer(serializers.Serializer[Any]):
    state = serializers.CharField(help_text="submitted, returned, draft, not_started")
    unit = UnitBriefSerializer(source="assignment.unit")
    inspector = UserBriefSerializer(source="assignment.inspector")
    inspection = serializers.UUIDField(source="inspection.pk", allow_null=True, default=None)
    due_on = serializers.DateField(source="assignment.effective_due_on")
    late = serializers.BooleanField()


class PendingSerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField(source="round.pk")
    early = serializers.BooleanField(help_text=_("hôm nay còn trước ngày kết thúc đợt"))
    count = serializers.IntegerField()
    unreviewed = serializers.IntegerField(help_text=_("phiếu đã nộp hoặc bị trả lại"))
    counts = serializers.DictField(child=serializers.IntegerField(), source="counts_map")
    rows = PendingRowSerializer(many=True, source="all_rows")


class SnapshotSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)


class PublishedSerializer(serializers.Serializer[Any]):
    round = RoundSerializer()
    snapshot = SnapshotSerializer()


class RankingQuerySerializer(serializers.Serializer[Any]):
    group = IdRelatedField(queryset=Group.objects.all(), required=False)


class RankingRowSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    classification = serializers.CharField(allow_blank=True)
    classification_name = serializers.CharField(allow_blank=True)
    score = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()
    previous_rank = serializers.IntegerField(allow_null=True)
    movement = serializers.IntegerField(allow_null=True, help_text=_("null: mới hoặc chưa xếp"))
    capped_by = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Tiêu chí ★ không đạt đã giới hạn xếp loại"),
    )
    unranked_reason = serializers.CharField(
        allow_blank=True, help_text=_("no_result, no_basis, unclassified; rỗng khi có hạng")
    )
    awaiting = serializers.IntegerField(help_text=_("Số phiếu chính thức chưa duyệt"))


class GroupRankingSerializer(serializers.Serializer[Any]):
    group_id = serializers.IntegerField()
    group_code = serializers.CharField()
    group_name = serializers.CharField()
    rows = RankingRowSerializer(many=True)


class RankingRoundSerializer(RoundSerializer):
    snapshot_number = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "snapshot_number"]


class RankingSerializer(serializers.Serializer[Any]):
    round = RankingRoundSerializer()
    groups = GroupRankingSerializer(many=True)


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    unit = UnitBriefSerializer()
    inspector = UserBriefSerializer()
    effective_due_on = serializers.DateField()

    class Meta:
        model = Assignment
        fields = ["id", "round", "unit", "inspector", "due_on", "effective_due_on", "created_at"]


class AssignmentCreateSerializer(serializers.Serializer[Any]):
    round = IdRelatedField(queryset=Round.objects.all())
    inspector = IdRelatedField(queryset=User.objects.all())
    units = serializers.ListField(
        child=IdRelatedField(queryset=OrgUnit.objects.all()),
        min_length=1,
        max_length=500,
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
