"""The year's result per group and the commendation proposals (read only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.years import (
    YearProposalsSerializer,
    YearQuerySerializer,
    YearResultsSerializer,
)
from api.views.base import ApiView, errors, query_filters
from inspections import policies, selectors
from inspections.numbers import ascii_int

_YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="2000–2100")


def _year(raw: str) -> int:
    """A year in ASCII digits within 2000–2100; anything else is the selector's 404."""
    return selectors.require_year(ascii_int(raw, minimum=0, maximum=9999) or 0)


class YearResultsView(ApiView):
    """The year's ranking per group: as published, or live from the year's published rounds."""

    serializer_class = YearResultsSerializer

    @extend_schema(
        parameters=[_YEAR, YearQuerySerializer],
        responses={200: YearResultsSerializer, **errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, year: str) -> Response:
        number = _year(year)
        wanted = query_filters(request, YearQuerySerializer)
        published = selectors.year_policy(number).is_published
        if not policies.may_read_year_result(request.user, published=published):
            raise PermissionDenied(_("Kết quả năm chỉ được xem sau khi công bố."))
        ranking = selectors.year_ranking(year=number, group=wanted.get("group"))
        policy = ranking.policy
        data = {
            "year": number,
            "published": ranking.published,
            "policy": policy,
            "rounds": ranking.rounds,
            "groups": ranking.groups,
        }
        return Response(YearResultsSerializer(data).data)


class YearProposalsView(ApiView):
    """Units proposed for commendation and not, with the reason for each."""

    serializer_class = YearProposalsSerializer

    @extend_schema(
        parameters=[_YEAR], responses={200: YearProposalsSerializer, **errors(401, 403, 404)}
    )
    def get(self, request: Request, year: str) -> Response:
        number = _year(year)
        if not policies.may_read_proposals(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem đề nghị khen thưởng."))
        proposals = selectors.year_proposals(year=number)
        data = {
            "year": number,
            "published": proposals.published,
            "criteria": selectors.criteria_text(proposals.policy),
            "proposed": proposals.proposed,
            "not_proposed": proposals.not_proposed,
        }
        return Response(YearProposalsSerializer(data).data)
