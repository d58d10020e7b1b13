"""Rounds (open, close, publish), their ranking, and assignments of inspectors."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.renderers import RankingCSVRenderer, RankingXLSXRenderer
from api.serializers.rounds import (
    AssignmentCreateSerializer,
    AssignmentSerializer,
    CloseSerializer,
    PendingSerializer,
    PublishedSerializer,
    PublishSerializer,
    RankingQuerySerializer,
    RankingSerializer,
    RoundCreateSerializer,
    RoundSerializer,
)
from api.views.base import ApiView, errors, filter_parameters, get_visible, query_filters
from inspections import policies, selectors, services
from inspections.exports import ranking_csv_chunks, ranking_file
from inspections.models import Assignment, Round
from inspections.selectors.filters import AssignmentFilter, RoundFilter
from inspections.spreadsheets import CSV_TYPE, XLSX_TYPE

_FILE_RENDERERS: list[type[BaseRenderer]] = [RankingCSVRenderer, RankingXLSXRenderer]


class RoundListView(ApiView):
    queryset = Round.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(
        parameters=filter_parameters(RoundFilter),
        responses={200: RoundSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.round_list(query=request.query_params))
        return self.get_paginated_response(RoundSerializer(page, many=True).data)

    @extend_schema(
        request=RoundCreateSerializer,
        responses={201: RoundSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = RoundCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        created = services.round_create(
            by=policies.acting(request.user),
            name=data["name"],
            version=data["version"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            open_now=data["open"],
        )
        return Response(RoundSerializer(created).data, status=status.HTTP_201_CREATED)


class RoundDetailView(ApiView):
    queryset = Round.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(responses={200: RoundSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        return Response(RoundSerializer(get_visible(Round.objects.all(), pk)).data)


class _RoundTransitionView(ApiView):
    queryset = Round.objects.all()
    serializer_class = RoundSerializer
    transition: Any = None  # a round service: (round=, by=) -> Round

    @extend_schema(request=None, responses={200: RoundSerializer, **errors(401, 403, 404, 409)})
    def post(self, request: Request, pk: str) -> Response:
        round_ = get_visible(Round.objects.all(), pk)
        changed = self.transition(round=round_, by=policies.acting(request.user))
        return Response(RoundSerializer(changed).data)


class RoundOpenView(_RoundTransitionView):
    transition = staticmethod(services.round_open)


class RoundCloseView(ApiView):
    """Lock the round. With work still open or before the end date, `confirm` must be true
    (400 `confirmation_required` listing what is open under errors.confirm)."""

    queryset = Round.objects.all()
    serializer_class = RoundSerializer

    @extend_schema(
        request=CloseSerializer, responses={200: RoundSerializer, **errors(400, 401, 403, 404, 409)}
    )
    def post(self, request: Request, pk: str) -> Response:
        round_ = get_visible(Round.objects.all(), pk)
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closed = services.round_close(
            round=round_, by=policies.acting(request.user), confirmed=body.validated_data["confirm"]
        )
        return Response(RoundSerializer(closed).data)


class RoundPendingView(ApiView):
    """What is still open in the round, per inspector and unit: shown before closing or
    publishing it (Internal Affairs and leaders)."""

    queryset = Round.objects.all()
    serializer_class = PendingSerializer

    @extend_schema(responses={200: PendingSerializer, **errors(401, 403, 404)})
    def get(self, request: Request, pk: str) -> Response:
        round_ = get_visible(Round.objects.all(), pk)
        if not policies.may_read_rounds(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem trang này."))
        return Response(PendingSerializer(selectors.round_pending(round_)).data)


class RoundPublishView(ApiView):
    queryset = Round.objects.all()
    serializer_class = PublishedSerializer

    @extend_schema(
        request=PublishSerializer,
        responses={200: PublishedSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: str) -> Response:
        round_ = get_visible(Round.objects.all(), pk)
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        snapshot = services.round_publish(
            round=round_,
            by=policies.acting(request.user),
            reason=body.validated_data["reason"],
            confirmed=body.validated_data["confirm"],
        )
        round_.refresh_from_db()
        data = {"round": round_, "snapshot": snapshot}
        return Response(PublishedSerializer(data).data)


class RankingView(ApiView):
    """The ranking per group: the published snapshot, or the live one while the round runs.
    ?format=csv and ?format=xlsx give files (one sheet per group)."""

    queryset = Round.objects.all()
    serializer_class = RankingSerializer
    renderer_classes = [JSONRenderer, *_FILE_RENDERERS]

    @extend_schema(
        parameters=[
            RankingQuerySerializer,
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", *(r.format for r in _FILE_RENDERERS)],
                required=False,
            ),
        ],
        responses={
            200: OpenApiResponse(RankingSerializer, description="JSON, CSV or XLSX"),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, pk: str) -> HttpResponseBase:
        round_ = get_visible(Round.objects.select_related("version"), pk)
        published = round_.status == Round.Status.PUBLISHED
        if not policies.may_read_ranking(request.user, published=published):
            raise PermissionDenied(_("Bảng xếp hạng chỉ được xem sau khi công bố."))
        wanted = query_filters(request, RankingQuerySerializer)
        groups = selectors.ranking_for_round(round=round_, group=wanted.get("group"))
        number = selectors.publication_number(round_)
        round_data = {**RoundSerializer(round_).data, "snapshot_number": number}
        # Files are written as they go and streamed, never rendered whole in memory.
        kind = getattr(request.accepted_renderer, "format", "json")
        stem = f"xep-hang-{round_.pk}"
        if kind == "xlsx":
            workbook = ranking_file(round_info=round_data, groups=groups)
            return FileResponse(
                workbook, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX_TYPE
            )
        if kind == "csv":
            chunks = ranking_csv_chunks(round_info=round_data, groups=groups)
            response = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
            return response
        data = {"round": round_data, "groups": [group.as_json() for group in groups]}
        return Response(data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # Refusals are JSON even when a file was asked for: the file renderers expect a ranking.
        if response.status_code >= 400 and hasattr(request, "accepted_renderer"):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class AssignmentListView(ApiView):
    queryset = Assignment.objects.all()
    serializer_class = AssignmentSerializer

    @extend_schema(
        parameters=filter_parameters(AssignmentFilter),
        responses={200: AssignmentSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.assignment_list(user=request.user, query=request.query_params)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer(many=True), **errors(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        body = AssignmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        created = services.assignments_create(
            by=policies.acting(request.user),
            round=data["round"],
            inspector=data["inspector"],
            units=data["units"],
            due_on=data["due_on"],
        )
        return Response(
            AssignmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )
