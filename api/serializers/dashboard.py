"""The dashboard's figures as JSON: the same `Dashboard` the page draws."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class DashboardQuerySerializer(serializers.Serializer[Any]):
    """Documents the query; `selectors.dashboard_data` checks it (one rule for both doors)."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    round = serializers.IntegerField(required=False, help_text=_("một đợt của năm đã chọn"))
    group = serializers.IntegerField(required=False)


class RoundRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class GroupRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ClassCountSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=_("rỗng: chưa xếp loại"), allow_blank=True)
    name = serializers.CharField()
    units = serializers.IntegerField()


class GroupClassesSerializer(serializers.Serializer[Any]):
    group = GroupRefSerializer()
    units = serializers.IntegerField()
    classes = ClassCountSerializer(many=True)


class TrendPointSerializer(serializers.Serializer[Any]):
    round_id = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    units = serializers.IntegerField()


class GroupTrendSerializer(serializers.Serializer[Any]):
    group = GroupRefSerializer()
    points = TrendPointSerializer(many=True)


class HeatCellSerializer(serializers.Serializer[Any]):
    group_id = serializers.IntegerField()
    failing = serializers.IntegerField()
    assessed = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class HeatRowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    critical = serializers.BooleanField()
    cells = HeatCellSerializer(many=True)


class CriticalFailureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    units = serializers.IntegerField()
    by_group = serializers.DictField(child=serializers.IntegerField())


class MoverSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    group_id = serializers.IntegerField(allow_null=True)
    before = serializers.DecimalField(max_digits=5, decimal_places=2)
    after = serializers.DecimalField(max_digits=5, decimal_places=2)
    change = serializers.DecimalField(max_digits=6, decimal_places=2)


class OverdueUnitSerializer(serializers.Serializer[Any]):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    actions = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer[Any]):
    group = GroupRefSerializer()
    units = serializers.IntegerField()
    signed = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer[Any]):
    round = RoundRefSerializer()
    group = GroupRefSerializer()
    assigned = serializers.IntegerField()
    approved = serializers.IntegerField()
    submitted = serializers.IntegerField()
    started = serializers.IntegerField()
    not_started = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    rounds = RoundRefSerializer(many=True)
    round = RoundRefSerializer(allow_null=True)
    previous = RoundRefSerializer(allow_null=True)
    group = GroupRefSerializer(allow_null=True)
    groups = GroupRefSerializer(many=True)
    classes = GroupClassesSerializer(many=True)
    trend_rounds = RoundRefSerializer(many=True)
    trends = GroupTrendSerializer(many=True)
    heat = HeatRowSerializer(many=True)
    critical = CriticalFailureSerializer(many=True)
    critical_units = serializers.IntegerField()
    up = MoverSerializer(many=True)
    down = MoverSerializer(many=True)
    compared = serializers.IntegerField()
    overdue = OverdueUnitSerializer(many=True)
    overdue_units = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    coverage = CoverageSerializer(many=True)
    progress = ProgressSerializer(many=True)
