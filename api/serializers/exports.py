"""Query parameters of the data exports and the evidence archive."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from inspections.data_exports import FORMATS
from inspections.evidence_archive import DISPLAY, VARIANTS


class AnswersExportQuerySerializer(serializers.Serializer[Any]):
    format = serializers.ChoiceField(choices=list(FORMATS))


class EvidenceQuerySerializer(serializers.Serializer[Any]):
    variant = serializers.ChoiceField(choices=list(VARIANTS), default=DISPLAY, required=False)
    unit = serializers.SlugField(max_length=40, required=False)
