"""Inspections: the checklist, its answers, photos and score, and the lifecycle bodies."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import DecimalField, Field
from django.urls import reverse
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.common import (
    AnswerValueField,
    IdRelatedField,
    PhotoSerializer,
    UnitBriefSerializer,
    UserBriefSerializer,
)
from inspections.models import Answer, Inspection, OrgUnit, Round
from inspections.policies import is_internal_affairs
from inspections.selectors import ReusedEvidence, reuse_warnings_for


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    unit = UnitBriefSerializer()
    inspector = UserBriefSerializer()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "revision",
            "round",
            "unit",
            "unit_name_snapshot",
            "kind",
            "state",
            "inspector",
            "score",
            "classification",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
        ]


def _answer_field(name: str) -> Field[Any, Any]:
    return cast(Field[Any, Any], Answer._meta.get_field(name))


_points = cast(DecimalField[Any, Any], _answer_field("points"))


# An answer as every autosave returns it. Its fields are declared here, once, from the model's
# own labels and sizes, rather than read off the model for every instance as a
# ModelSerializer does: an eighth of an autosave's CPU (cProfile of bench/load.py --cpu).
class AnswerSerializer(serializers.Serializer[Answer]):
    criterion = serializers.CharField(source="criterion.code")
    value = AnswerValueField()
    note = serializers.CharField(
        label=capfirst(_answer_field("note").verbose_name), allow_blank=True, required=False
    )
    flagged = serializers.BooleanField(
        label=capfirst(_answer_field("flagged").verbose_name), required=False
    )
    points = serializers.DecimalField(
        max_digits=_points.max_digits,
        decimal_places=_points.decimal_places,
        allow_null=True,
        required=False,
    )
    updated_at = serializers.DateTimeField(read_only=True)


class StoredScoreSerializer(serializers.Serializer[Any]):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    classification = serializers.CharField(allow_blank=True)
    earned_points = serializers.DecimalField(max_digits=9, decimal_places=4)
    possible_points = serializers.DecimalField(max_digits=9, decimal_places=4)
    enough_basis = serializers.BooleanField()
    critical_failures = serializers.ListField(child=serializers.CharField())
    section_scores = serializers.ListField(child=serializers.DictField())


class ReusedEvidenceSerializer(serializers.Serializer[Any]):
    photo = serializers.UUIDField()
    inspection = serializers.UUIDField()
    inspection_url = serializers.URLField()
    unit_name = serializers.CharField()
    distance = serializers.IntegerField()
    same_file = serializers.BooleanField()


class InspectionPhotoSerializer(PhotoSerializer):
    """For the schema: Internal Affairs see where else a photo was used (null for others)."""

    reused = ReusedEvidenceSerializer(many=True, allow_null=True, read_only=True)

    class Meta(PhotoSerializer.Meta):
        fields = [*PhotoSerializer.Meta.fields, "reused"]


def _reused(matches: list[ReusedEvidence], request: Any) -> list[dict[str, Any]]:
    def url(pk: Any) -> str:
        path = reverse("api:inspection", args=[pk])
        return request.build_absolute_uri(path) if request is not None else path

    return [
        {
            "photo": str(m.other_photo_id),
            "inspection": str(m.other_inspection_id),
            "inspection_url": url(m.other_inspection_id),
            "unit_name": m.other_unit_name,
            "distance": m.distance,
            "same_file": m.same_file,
        }
        for m in matches
    ]


class InspectionDetailSerializer(InspectionSerializer):
    answers = AnswerSerializer(many=True)
    photos = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta(InspectionSerializer.Meta):
        fields = [
            *InspectionSerializer.Meta.fields,
            "return_reason",
            "returned_criteria",
            "revision_reason",
            "answers",
            "photos",
            "scores",
        ]

    @extend_schema_field(InspectionPhotoSerializer(many=True))
    def get_photos(self, inspection: Inspection) -> Any:
        context = {**self.context, "inspector_id": inspection.inspector_id}
        photos = PhotoSerializer(inspection.photos.all(), many=True, context=context).data
        request = self.context.get("request")
        if not is_internal_affairs(getattr(request, "user", None)):
            return [{**photo, "reused": None} for photo in photos]
        # Possible reuse of evidence from other inspections: for Internal Affairs to judge.
        warnings = {str(k): v for k, v in reuse_warnings_for(inspection).items()}
        return [
            {**photo, "reused": _reused(warnings.get(photo["id"]) or [], request)}
            for photo in photos
        ]

    @extend_schema_field(StoredScoreSerializer)
    def get_scores(self, inspection: Inspection) -> Any:
        return StoredScoreSerializer(inspection).data


class InspectionCreateSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False)
    unit = IdRelatedField(queryset=OrgUnit.objects.all())
    round = IdRelatedField(queryset=Round.objects.all())
    kind = serializers.ChoiceField(
        choices=Inspection.Kind.choices, default=Inspection.Kind.OFFICIAL
    )


class AnswerWriteSerializer(serializers.Serializer[Any]):
    value = AnswerValueField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    flagged = serializers.BooleanField(required=False)


class PhotoUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(allow_empty_file=True)
    criterion = serializers.CharField(required=False, allow_blank=True, max_length=10)
    caption = serializers.CharField(required=False, allow_blank=True, max_length=300)
    id = serializers.UUIDField(required=False)


class ReturnSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, default=list, max_length=200
    )


class ReviseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)
    answers = serializers.DictField(child=AnswerWriteSerializer())


class CriterionScoreSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    earned = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    possible = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    critical_failed = serializers.BooleanField()


class SectionScoreSerializer(serializers.Serializer[Any]):
    section = serializers.CharField()
    earned = serializers.DecimalField(max_digits=9, decimal_places=4)
    possible = serializers.DecimalField(max_digits=9, decimal_places=4)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class ScoreSerializer(serializers.Serializer[Any]):
    inspection = serializers.UUIDField()
    revision = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    earned = serializers.DecimalField(max_digits=9, decimal_places=4)
    possible = serializers.DecimalField(max_digits=9, decimal_places=4)
    classification = serializers.CharField(allow_blank=True)
    classification_name = serializers.CharField(allow_blank=True)
    enough_basis = serializers.BooleanField()
    critical_failures = serializers.ListField(child=serializers.CharField())
    sections = SectionScoreSerializer(many=True)
    criteria = CriterionScoreSerializer(many=True)
