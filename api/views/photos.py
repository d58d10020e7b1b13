"""Evidence photos: upload to an inspection, remove while editable, and the protected files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.parsers import FormParser, MultiPartParser
from api.serializers.common import PhotoSerializer, photo_file_for
from api.serializers.inspections import PhotoUploadSerializer
from api.views.base import ApiView, errors, get_visible, not_found, read_upload
from api.views.inspections import visible_inspection
from inspections import policies, services
from inspections.models import EvidencePhoto
from inspections.photos import EXTENSIONS, check_upload_size
from inspections.policies import may_see_original, photos_for

VARIANTS = ("thumbnail", "display", "original")


class PhotoUploadView(ApiView):
    queryset = EvidencePhoto.objects.all()
    serializer_class = PhotoSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={
            201: PhotoSerializer,
            200: PhotoSerializer,
            **errors(400, 401, 403, 404, 409, 413, 415),
        },
        description="The same client `id` again returns the same photo with 200, to the "
        "inspection's inspector only: anyone else gets the 403 a first upload would get. An "
        "unknown `criterion` is a 400 on that field.",
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        check_upload_size(data["file"].size or 0)  # refused before a byte is read
        photo, created = services.photo_attach(
            by=policies.acting(request.user),
            inspection=inspection,
            data=read_upload(data["file"]),
            criterion_code=data.get("criterion") or None,
            caption=data.get("caption", ""),
            id=data.get("id"),
        )
        context = {"request": request, "inspector_id": inspection.inspector_id}
        return Response(
            PhotoSerializer(photo, context=context).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PhotoDeleteView(ApiView):
    queryset = EvidencePhoto.objects.all()
    serializer_class = PhotoSerializer

    @extend_schema(
        parameters=[OpenApiParameter("photo_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={204: OpenApiResponse(description="Removed"), **errors(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: str, photo_id: str) -> Response:
        inspection = visible_inspection(request, pk)
        photo = get_visible(EvidencePhoto.objects.filter(inspection=inspection), photo_id)
        services.photo_remove(by=policies.acting(request.user), photo=photo)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _AnyAccept(BaseContentNegotiation):
    """Files are files: an <img> tag's Accept header must not turn them into a 406."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(
        self, request: Any, renderers: Any, format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class PhotoFileView(ApiView):
    """A photo's file for users allowed to see its owner (404 otherwise); originals (with GPS)
    for Internal Affairs and the inspection's inspector only, as downloads. Private caches
    only; the ETag comes from the original's SHA-256, which every derived copy follows."""

    queryset = EvidencePhoto.objects.all()
    serializer_class = PhotoSerializer
    content_negotiation_class = _AnyAccept

    @extend_schema(
        parameters=[
            OpenApiParameter("variant", OpenApiTypes.STR, OpenApiParameter.PATH, enum=VARIANTS)
        ],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified (If-None-Match)"),
            **errors(401, 403, 404),
        },
    )
    def get(self, request: Request, pk: str, variant: str) -> Any:
        if variant not in VARIANTS:
            raise not_found()
        photo = get_visible(photos_for(request.user).select_related("inspection"), pk)
        if variant == "original" and not may_see_original(request.user, photo):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ và người chấm được xem ảnh gốc."))
        name = photo_file_for(photo, variant)
        if not name:
            raise not_found()
        # Copies rendered again (a blur, a drawing) are new content: their version is in it.
        version = photo.copies_version if variant != "original" else ""
        etag = f'"{photo.sha256[:40]}-{variant[0]}{version}"'
        headers = {
            "ETag": etag,
            "Cache-Control": "private, max-age=86400",
            "Vary": "Cookie, Authorization",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": _disposition(photo, variant),
        }
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return _with(HttpResponseNotModified(), headers)
        content_type = "image/jpeg" if photo_is_derived(photo, variant) else photo.content_type
        prefix = settings.EVIDENCE_ACCEL_REDIRECT_PREFIX
        if prefix:  # the reverse proxy sends the bytes; we have checked who may have them
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name.lstrip("/")
            return _with(response, headers)
        try:  # any backend: a missing object is a 404 here, not a 500 while streaming
            if not default_storage.exists(name):
                raise not_found()
            handle = default_storage.open(name, "rb")
        except OSError:
            raise not_found() from None
        return _with(FileResponse(handle, content_type=content_type), headers)


def photo_is_derived(photo: EvidencePhoto, variant: str) -> bool:
    return variant != "original" and bool(photo.display)


def _disposition(photo: EvidencePhoto, variant: str) -> str:
    """Originals (and PDFs) download; copies show inline. Names carry only the photo's id."""
    if photo_is_derived(photo, variant):
        return f'inline; filename="{photo.pk}-{variant}.jpg"'
    extension = EXTENSIONS.get(photo.content_type, "pdf")
    return f'attachment; filename="{photo.pk}.{extension}"'


def _matches(header: str, etag: str) -> bool:
    return header.strip() == "*" or etag in parse_etags(header)


def _with(response: HttpResponseBase, headers: dict[str, str]) -> HttpResponseBase:
    for key, value in headers.items():
        response[key] = value
    return response


class PhotoAnnotationsSerializer(serializers.Serializer[Any]):
    """Shapes are checked by the service (inspections/photo_overlays.py), field by field."""

    annotations = serializers.JSONField(
        help_text='[{"kind": "circle"|"arrow", "x1", "y1", "x2", "y2": 0..1, "label": ≤ 60}]'
    )


class PhotoBlurSerializer(serializers.Serializer[Any]):
    regions = serializers.JSONField(help_text='[{"x", "y", "w", "h": 0..1}]')


def _photo_response(request: Request, photo: EvidencePhoto) -> Response:
    inspector_id = photo.inspection.inspector_id if photo.inspection else None
    context = {"request": request, "inspector_id": inspector_id}
    return Response(PhotoSerializer(photo, context=context).data)


class PhotoAnnotationsView(ApiView):
    queryset = EvidencePhoto.objects.all()
    serializer_class = PhotoSerializer

    @extend_schema(
        request=PhotoAnnotationsSerializer,
        responses={200: PhotoSerializer, **errors(400, 401, 403, 404, 409)},
        description="Replace the circles and arrows drawn on an inspection's photo (an empty "
        "list removes them); the display copy and thumbnail are rendered again, the original "
        "is untouched. Whoever may attach photos to the inspection, while it is editable.",
    )
    def put(self, request: Request, pk: str) -> Response:
        photo = get_visible(photos_for(request.user).select_related("inspection"), pk)
        body = PhotoAnnotationsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = services.photo_annotate(
            by=policies.acting(request.user),
            photo=photo,
            annotations=body.validated_data["annotations"],
        )
        return _photo_response(request, photo)


class PhotoBlurView(ApiView):
    queryset = EvidencePhoto.objects.all()
    serializer_class = PhotoSerializer

    @extend_schema(
        request=PhotoBlurSerializer,
        responses={200: PhotoSerializer, **errors(400, 401, 403, 404, 409)},
        description="Internal Affairs: replace the blurred regions of a photo's display copy. "
        "While the original is kept a region can be taken away; once it is purged, regions "
        "can only be added (409 otherwise).",
    )
    def put(self, request: Request, pk: str) -> Response:
        photo = get_visible(photos_for(request.user).select_related("inspection"), pk)
        body = PhotoBlurSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = services.photo_blur(
            by=policies.acting(request.user), photo=photo, regions=body.validated_data["regions"]
        )
        return _photo_response(request, photo)
