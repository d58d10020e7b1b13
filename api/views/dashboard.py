"""The dashboard's figures for another system: what `/tong-quan/` draws, as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.dashboard import DashboardQuerySerializer, DashboardSerializer
from api.views.base import ApiView, errors
from inspections import policies, selectors
from inspections.models import Round


class DashboardView(ApiView):
    queryset = Round.objects.none()
    serializer_class = DashboardSerializer

    @extend_schema(
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer, **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        if not policies.may_read_rounds(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem trang này."))
        board = selectors.dashboard_data(query=request.query_params)
        return Response(DashboardSerializer(board).data)
