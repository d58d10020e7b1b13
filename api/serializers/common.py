"""Shared shapes: units, groups, users, photos, and the answer value."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspections.answers import as_json
from inspections.evidence_checks import CODES as CHECK_CODES
from inspections.evidence_checks import flag_text
from inspections.models import EvidencePhoto, Group, OrgUnit, display_name
from inspections.numbers import MAX_ID, ascii_int
from inspections.photo_overlays import SHAPE_KINDS
from inspections.policies import may_blur_photo, may_see_original, may_see_position

User = get_user_model()


class IdRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A row by its id: a whole number in ASCII digits within a database id's range.

    DRF's own hands the value to the database as it came: "٣" is read as 3 by int().
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and ascii_int(data, minimum=0) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class UnitBriefSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]


class UnitSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "parent", "group", "valid_from", "valid_to", "merged_into"]


class GroupSerializer(serializers.ModelSerializer[Group]):
    class Meta:
        model = Group
        fields = ["id", "code", "name", "name_en"]


class UserBriefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.SerializerMethodField()

    def get_full_name(self, person: Any) -> str:
        """ "Họ và tên" as typed, e.g. "Nguyễn Thị Thu Hà"."""
        if isinstance(person, dict):
            return str(person.get("full_name", ""))
        return display_name(person)


@extend_schema_field(
    {
        "anyOf": [
            {"type": "boolean"},
            {"type": "integer"},
            {"type": "number"},
            {"type": "string"},
        ],
        "nullable": True,
        "description": "true/false (or “yes”/“no”), a level 0–4, a number 0–100 with at most "
        "one decimal (a number, or text with a decimal point or comma), “na”, or null",
    }
)
class AnswerValueField(serializers.Field):  # type: ignore[type-arg]
    """Any JSON value: the service reads it with the answer contract (inspections/answers.py),
    so a value that does not fit gets the same field message as on the web pages."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return data

    def to_representation(self, value: Any) -> Any:
        return as_json(value)  # percentages keep their exact digits, as text


class PhotoUrlsSerializer(serializers.Serializer[Any]):
    thumbnail = serializers.URLField(allow_null=True)
    display = serializers.URLField(allow_null=True)
    original = serializers.URLField(allow_null=True)


class PhotoCheckSerializer(serializers.Serializer[Any]):
    """One finding of the evidence checks (inspections/evidence_checks.py); never a coordinate."""

    code = serializers.ChoiceField(choices=CHECK_CODES)
    message = serializers.CharField()
    days = serializers.IntegerField(required=False)
    limit = serializers.IntegerField(required=False)
    distance_m = serializers.IntegerField(required=False)
    radius_m = serializers.IntegerField(required=False)
    owner = serializers.CharField(required=False)
    other_unit = serializers.BooleanField(required=False)
    same_file = serializers.BooleanField(required=False)
    distance = serializers.IntegerField(required=False)
    photo = serializers.UUIDField(required=False)
    owner_id = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)


class PhotoShapeSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SHAPE_KINDS)
    x1 = serializers.FloatField(min_value=0, max_value=1)
    y1 = serializers.FloatField(min_value=0, max_value=1)
    x2 = serializers.FloatField(min_value=0, max_value=1)
    y2 = serializers.FloatField(min_value=0, max_value=1)
    label = serializers.CharField(max_length=60, allow_blank=True)  # type: ignore[assignment]


class PhotoRegionSerializer(serializers.Serializer[Any]):
    x = serializers.FloatField(min_value=0, max_value=1)
    y = serializers.FloatField(min_value=0, max_value=1)
    w = serializers.FloatField(min_value=0, max_value=1)
    h = serializers.FloatField(min_value=0, max_value=1)


class PhotoPositionSerializer(serializers.Serializer[Any]):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)


# Which other photo, owner and unit a reuse names: for those who may see positions too.
_IDENTIFYING = ("photo", "owner_id", "unit")


class PhotoSerializer(serializers.ModelSerializer[EvidencePhoto]):
    criterion = serializers.SerializerMethodField()
    urls = serializers.SerializerMethodField()
    checks = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    annotations = serializers.SerializerMethodField()
    blurred = serializers.SerializerMethodField()
    blur_regions = serializers.SerializerMethodField()

    class Meta:
        model = EvidencePhoto
        fields = [
            "id",
            "criterion",
            "caption",
            "content_type",
            "size_bytes",
            "width",
            "height",
            "captured_at",
            "uploaded_at",
            "camera",
            "checks",
            "position",
            "annotations",
            "blurred",
            "blur_regions",
            "urls",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_criterion(self, photo: EvidencePhoto) -> str | None:
        return photo.criterion.code if photo.criterion_id and photo.criterion else None

    def _sees_position(self, photo: EvidencePhoto) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return may_see_position(user, photo, inspector_id=self.context.get("inspector_id"))

    @extend_schema_field(PhotoCheckSerializer(many=True))
    def get_checks(self, photo: EvidencePhoto) -> list[dict[str, Any]]:
        full = self._sees_position(photo)
        shown = [
            {k: v for k, v in flag.items() if full or k not in _IDENTIFYING}
            for flag in photo.checks or []
        ]
        return [{**flag, "message": flag_text(flag)} for flag in shown]

    @extend_schema_field(PhotoPositionSerializer(allow_null=True))
    def get_position(self, photo: EvidencePhoto) -> dict[str, str] | None:
        """Coordinates to Internal Affairs and the inspection's inspector only."""
        if photo.latitude is None or photo.longitude is None or not self._sees_position(photo):
            return None
        return {"latitude": str(photo.latitude), "longitude": str(photo.longitude)}

    @extend_schema_field(PhotoShapeSerializer(many=True))
    def get_annotations(self, photo: EvidencePhoto) -> list[dict[str, Any]]:
        return list(photo.annotations or [])

    def get_blurred(self, photo: EvidencePhoto) -> bool:
        """Whether part of the copies is blurred (a face, a badge): said to everyone."""
        return bool(photo.blur_regions)

    @extend_schema_field(PhotoRegionSerializer(many=True, allow_null=True))
    def get_blur_regions(self, photo: EvidencePhoto) -> list[dict[str, Any]] | None:
        """Where the blur is, to Internal Affairs only (it shows where a face was)."""
        request = self.context.get("request")
        if not may_blur_photo(getattr(request, "user", None), photo):
            return None
        return list(photo.blur_regions or [])

    @extend_schema_field(PhotoUrlsSerializer)
    def get_urls(self, photo: EvidencePhoto) -> dict[str, str | None]:
        request = self.context.get("request")
        user = getattr(request, "user", None)

        def url(variant: str) -> str | None:
            path = reverse("api:photo-file", args=[photo.pk, variant])
            if variant != "original" and photo.copies_version:
                path += f"?v={photo.copies_version}"  # a blur or a drawing: not the cached copy
            return request.build_absolute_uri(path) if request is not None else path

        inspector_id = self.context.get("inspector_id")
        original_ok = may_see_original(user, photo, inspector_id=inspector_id)
        has_copies = bool(photo.display)
        return {
            "thumbnail": url("thumbnail") if photo.thumbnail else None,
            "display": url("display") if has_copies or _is_document(photo) else None,
            "original": url("original") if original_ok else None,
        }


def _is_document(photo: EvidencePhoto) -> bool:
    return not photo.display and photo.content_type == "application/pdf"


def photo_file_for(photo: EvidencePhoto, variant: str) -> str:
    """The stored file name of a variant; PDFs have no derived copies, so "display" is the PDF."""
    if variant == "display" and _is_document(photo):
        return photo.original.name or ""
    return str(getattr(photo, variant).name or "")
