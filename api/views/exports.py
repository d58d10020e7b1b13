"""A round's answers as a streamed file, and its evidence as a streamed ZIP."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from api.serializers.exports import AnswersExportQuerySerializer, EvidenceQuerySerializer
from api.views.base import ApiView, errors, get_visible, not_found, query_filters
from api.views.photos import _AnyAccept
from inspections import policies
from inspections.data_exports import answers_csv_chunks, export_answers
from inspections.evidence_archive import ORIGINAL, ZIP_TYPE, archive_chunks
from inspections.models import Round
from inspections.selectors.archive import evidence_items
from inspections.selectors.exports import ExportScope
from inspections.spreadsheets import CSV_TYPE, XLSX_TYPE


class AnswersExportView(ApiView):
    """Every answer of the round in long form: one row per inspection revision and criterion."""

    queryset = Round.objects.all()
    serializer_class = AnswersExportQuerySerializer
    content_negotiation_class = _AnyAccept  # ?format= picks the file, never a renderer

    @extend_schema(
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "xlsx"], required=True)
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV, UTF-8"),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, pk: str) -> HttpResponseBase:
        round_ = get_visible(Round.objects.all(), pk)
        if not policies.may_export_data(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xuất toàn bộ dữ liệu."))
        kind = query_filters(request, AnswersExportQuerySerializer)["format"]
        scope = ExportScope(round=round_)
        name = f"ket-qua-tieu-chi-dot-{round_.pk}.{kind}"
        if kind == "csv":  # streamed as the rows are read
            response = StreamingHttpResponse(answers_csv_chunks(scope), content_type=CSV_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        # Written in constant memory to an anonymous temporary file, then streamed from it.
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
        export_answers(scope, out=handle, kind="xlsx")
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


class EvidenceArchiveView(ApiView):
    """The round's photos and scans (or one unit's: ?unit=<code>) with a manifest, as a ZIP
    streamed while it is read. Originals (?variant=original) for Internal Affairs only."""

    queryset = Round.objects.all()
    serializer_class = EvidenceQuerySerializer
    content_negotiation_class = _AnyAccept

    @extend_schema(
        parameters=[EvidenceQuerySerializer],
        responses={
            (200, ZIP_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="ZIP"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, pk: str) -> Any:
        round_ = get_visible(Round.objects.all(), pk)
        wanted = query_filters(request, EvidenceQuerySerializer)
        unit = None
        if wanted.get("unit"):
            unit = policies.visible_units(request.user).filter(code=wanted["unit"]).first()
            if unit is None:
                raise not_found()
        if not policies.may_export_evidence(request.user, unit):
            raise PermissionDenied(_("Bạn không được tải ảnh minh chứng này."))
        variant = wanted.get("variant") or "display"
        if variant == ORIGINAL and not policies.may_export_originals(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ được tải ảnh gốc (có vị trí GPS)."))
        items = evidence_items(policies.photos_for(request.user), round=round_, unit=unit)
        response = StreamingHttpResponse(archive_chunks(items, variant=variant), ZIP_TYPE)
        unit_part = f"-{unit.pk}" if unit is not None else ""
        name = f"minh-chung-dot-{round_.pk}{unit_part}{'-goc' if variant == ORIGINAL else ''}"
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
