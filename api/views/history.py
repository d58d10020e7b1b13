"""An inspection's history: its timeline and the changes between two revisions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.history import DiffSerializer, TimelineEntrySerializer
from api.views.base import ApiView, errors
from api.views.inspections import visible_inspection
from inspections import policies, selectors
from inspections.models import Inspection


def _readable(request: Request, pk: str) -> Inspection:
    inspection = visible_inspection(request, pk)
    if not policies.may_read_history(request.user, inspection):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và người lập phiếu được xem lịch sử phiếu."))
    return inspection


class TimelineView(ApiView):
    """Everything recorded about the inspection, oldest first (Internal Affairs and its
    inspector); runs of answers or photos by one person come as one entry."""

    queryset = Inspection.objects.all()
    serializer_class = TimelineEntrySerializer
    pagination_class = None

    @extend_schema(responses={200: TimelineEntrySerializer(many=True), **errors(401, 403, 404)})
    def get(self, request: Request, pk: str) -> Response:
        timeline = selectors.inspection_timeline(_readable(request, pk))
        return Response(TimelineEntrySerializer(timeline, many=True).data)


class DiffView(ApiView):
    """The criteria whose value, note or points changed between two revisions, with the old
    and new score and class; by default the latest correction."""

    queryset = Inspection.objects.all()
    serializer_class = DiffSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, description=_("mặc định: to − 1")),
            OpenApiParameter("to", OpenApiTypes.INT, description=_("mặc định: lần sửa hiện tại")),
        ],
        responses={200: DiffSerializer, **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, pk: str) -> Response:
        diff = selectors.revision_diff(
            _readable(request, pk),
            from_revision=request.query_params.get("from"),
            to_revision=request.query_params.get("to"),
        )
        return Response(DiffSerializer(diff).data)
