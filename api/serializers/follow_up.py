"""Corrective actions with the unit's responses, and commitments with their scans."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.serializers.common import IdRelatedField, PhotoSerializer, UnitBriefSerializer
from inspections.models import ActionResponse, Commitment, CorrectiveAction, OrgUnit


class ActionResponseSerializer(serializers.ModelSerializer[ActionResponse]):
    photos = PhotoSerializer(many=True)

    class Meta:
        model = ActionResponse
        fields = ["id", "note", "created_at", "created_by", "photos"]


class ActionSerializer(serializers.ModelSerializer[CorrectiveAction]):
    unit = UnitBriefSerializer()
    criterion = serializers.CharField(source="criterion.code")
    criterion_text = serializers.CharField(source="criterion.display_text")
    round = serializers.IntegerField(source="inspection.round_id")
    responses = ActionResponseSerializer(many=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "inspection",
            "round",
            "unit",
            "criterion",
            "criterion_text",
            "reason",
            "status",
            "finding",
            "due_on",
            "opened_at",
            "verified_at",
            "verification_note",
            "responses",
        ]


class ActionRespondSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=4000)
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        default=list,
        max_length=20,
    )


class ActionNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    unit = UnitBriefSerializer()
    scans = PhotoSerializer(many=True, source="photos")

    class Meta:
        model = Commitment
        fields = ["id", "unit", "year", "signed_on", "note", "created_at", "scans"]


class CommitmentCreateSerializer(serializers.Serializer[Any]):
    unit = IdRelatedField(queryset=OrgUnit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    file = serializers.FileField(allow_empty_file=True)
