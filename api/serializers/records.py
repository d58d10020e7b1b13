"""The inspection team, the unit's people present, signatures at the visit."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.numbers import MAX_ID
from inspections.services.team import MAX_POINTS, NAME_LENGTH


class MemberSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class RepresentativeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False)
    name = serializers.CharField(max_length=NAME_LENGTH)
    position = serializers.CharField(max_length=NAME_LENGTH, allow_blank=True, required=False)


class SignatureSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    role = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    on_paper = serializers.BooleanField()
    signed_at = serializers.DateTimeField()
    revision = serializers.IntegerField()
    current = serializers.BooleanField(
        help_text="False: the answers changed since it was given (“chưa ký lại”)."
    )


class TeamSerializer(serializers.Serializer[Any]):
    lead = serializers.DictField()
    members = MemberSerializer(many=True)
    representatives = RepresentativeSerializer(many=True)
    signatures = SignatureSerializer(many=True)


class MemberAddSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class TeamNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(allow_blank=True, max_length=2000, trim_whitespace=False)


class SignatureWriteSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False)
    role = serializers.ChoiceField(choices=["unit", "lead"])
    name = serializers.CharField(max_length=NAME_LENGTH, allow_blank=True, required=False)
    position = serializers.CharField(max_length=NAME_LENGTH, allow_blank=True, required=False)
    on_paper = serializers.BooleanField(default=False)
    signed_at = serializers.DateTimeField(required=False)
    strokes = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), max_length=2 * MAX_POINTS),
        required=False,
        max_length=200,
        help_text="Strokes of x, y pairs in a 600 × 200 box; omitted with on_paper.",
    )


class RecordQuerySerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(required=False, min_value=1, max_value=32767)
