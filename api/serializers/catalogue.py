"""The catalogue of a model version: levels, sections and criteria, in both languages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.models import ClassificationLevel, Criterion, ModelVersion, Section


class ModelVersionSerializer(serializers.ModelSerializer[ModelVersion]):
    model_code = serializers.CharField(source="model.code")
    model_name = serializers.CharField(source="model.name")
    model_name_en = serializers.CharField(source="model.name_en")

    class Meta:
        model = ModelVersion
        fields = [
            "id",
            "model_code",
            "model_name",
            "model_name_en",
            "number",
            "title",
            "title_en",
            "status",
            "published_at",
        ]


class LevelSerializer(serializers.ModelSerializer[ClassificationLevel]):
    class Meta:
        model = ClassificationLevel
        fields = ["code", "name", "name_en", "minimum_score", "order"]


class BandSerializer(serializers.Serializer[Any]):
    minimum = serializers.DecimalField(max_digits=6, decimal_places=2)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    bands = BandSerializer(many=True)

    class Meta:
        model = Criterion
        fields = [
            "code",
            "text",
            "text_en",
            "guidance",
            "guidance_en",
            "answer_type",
            "max_points",
            "bands",
            "evidence",
            "critical",
            "na_allowed",
            "order",
        ]


class SectionSerializer(serializers.ModelSerializer[Section]):
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Section
        fields = ["code", "title", "title_en", "order", "criteria"]


class CatalogueSerializer(ModelVersionSerializer):
    levels = LevelSerializer(many=True)
    sections = SectionSerializer(many=True)

    class Meta(ModelVersionSerializer.Meta):
        fields = [
            *ModelVersionSerializer.Meta.fields,
            "critical_cap",
            "top_class_section_minimum",
            "applicable_floor",
            "action_due_days",
            "levels",
            "sections",
        ]
