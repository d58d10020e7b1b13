"""The year's result and the commendation proposals, as read (the API writes neither)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.common import IdRelatedField
from inspections.models import Group


class YearQuerySerializer(serializers.Serializer[Any]):
    group = IdRelatedField(queryset=Group.objects.all(), required=False)


class YearClassSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    minimum_score = serializers.CharField()


class YearPolicySerializer(serializers.Serializer[Any]):
    status = serializers.CharField(help_text=_("draft: còn sửa được; published: đã công bố"))
    minimum_rounds = serializers.IntegerField()
    classes = YearClassSerializer(many=True, help_text=_("Mức xếp loại năm, cao nhất trước"))
    critical_cap = serializers.CharField(allow_blank=True)
    propose_classes = serializers.ListField(child=serializers.CharField())
    require_no_critical = serializers.BooleanField()
    require_actions_verified = serializers.BooleanField()
    require_commitment = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)


class YearRoundSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class YearRowSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    classification = serializers.CharField(allow_blank=True)
    classification_name = serializers.CharField(allow_blank=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    round_count = serializers.IntegerField(help_text=_("Số đợt đã công bố được tính"))
    round_scores = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
        help_text=_("Điểm từng đợt, theo thứ tự của rounds; null: đợt không được tính"),
    )
    critical_failed = serializers.BooleanField()
    capped = serializers.BooleanField(help_text=_("Xếp loại bị giới hạn do tiêu chí ★"))
    unranked_reason = serializers.CharField(
        allow_blank=True, help_text=_("no_result, too_few_rounds, unclassified; rỗng khi có hạng")
    )
    unranked_note = serializers.CharField(allow_blank=True)
    previous_rank = serializers.IntegerField(allow_null=True, help_text=_("Hạng năm trước"))
    movement = serializers.IntegerField(allow_null=True, help_text=_("null: mới hoặc chưa xếp"))


class YearGroupSerializer(serializers.Serializer[Any]):
    group_id = serializers.IntegerField()
    group_code = serializers.CharField()
    group_name = serializers.CharField()
    rows = YearRowSerializer(many=True)


class YearResultsSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    published = serializers.BooleanField()
    policy = YearPolicySerializer()
    rounds = YearRoundSerializer(many=True)
    groups = YearGroupSerializer(many=True)


class ProposalRowSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    group_name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    classification_name = serializers.CharField(allow_blank=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    proposed = serializers.BooleanField()
    by_criteria = serializers.BooleanField(help_text=_("Kết luận theo các tiêu chí của năm"))
    shortfalls = serializers.ListField(
        child=serializers.CharField(), help_text=_("class, critical, actions, commitment")
    )
    reasons = serializers.ListField(child=serializers.CharField())
    decision = serializers.BooleanField(
        allow_null=True, help_text=_("Phòng Nội vụ bổ sung (true) hoặc đưa ra (false); null: không")
    )
    decision_reason = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class YearProposalsSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    published = serializers.BooleanField()
    criteria = serializers.ListField(child=serializers.CharField())
    proposed = ProposalRowSerializer(many=True)
    not_proposed = ProposalRowSerializer(many=True)
