"""Inspections: create (idempotent), read, answer, and the submit/return/approve/revise steps."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.inspections import (
    AnswerSerializer,
    AnswerWriteSerializer,
    InspectionCreateSerializer,
    InspectionDetailSerializer,
    InspectionSerializer,
    ReturnSerializer,
    ReviseSerializer,
    ScoreSerializer,
)
from api.views.base import ApiView, errors, filter_parameters, get_visible
from inspections import policies, selectors, services
from inspections.models import Answer, ClassificationLevel, EvidencePhoto, Inspection
from inspections.policies import inspections_for
from inspections.selectors.filters import InspectionFilter


def detailed(rows: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return rows.select_related("unit", "inspector__profile").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("criterion").order_by("id")),
        Prefetch("photos", queryset=EvidencePhoto.objects.select_related("criterion")),
    )


def visible_inspection(request: Request, pk: str) -> Inspection:
    return get_visible(inspections_for(request.user).select_related("round__version"), pk)


def detail_response(request: Request, pk: Any, code: int = status.HTTP_200_OK) -> Response:
    inspection = get_visible(detailed(inspections_for(request.user)), pk)
    body = InspectionDetailSerializer(inspection, context={"request": request}).data
    return Response(body, status=code)


class InspectionListView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer

    @extend_schema(
        parameters=filter_parameters(InspectionFilter),
        responses={200: InspectionSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.inspection_list(user=request.user, query=request.query_params)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(InspectionSerializer(page, many=True).data)

    @extend_schema(
        request=InspectionCreateSerializer,
        responses={
            201: InspectionDetailSerializer,
            200: InspectionDetailSerializer,
            **errors(400, 401, 403, 409),
        },
        description="The same client `id` again returns the same inspection with 200; "
        "the same `id` with other values is a 409. A replay is checked like a first create: "
        "a user who may not create this inspection gets the same 403.",
    )
    def post(self, request: Request) -> Response:
        body = InspectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        inspection, created = services.inspection_create(
            by=policies.acting(request.user),
            round=data["round"],
            unit=data["unit"],
            kind=data["kind"],
            id=data.get("id"),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return detail_response(request, inspection.pk, code)


class InspectionDetailView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionDetailSerializer

    @extend_schema(responses={200: InspectionDetailSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        return detail_response(request, pk)


class AnswerView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = AnswerSerializer

    @extend_schema(
        request=AnswerWriteSerializer,
        responses={200: AnswerSerializer, **errors(400, 401, 403, 404, 409)},
        description="`value`: true/false (or “yes”/“no”), a level 0–4, a number 0–100 with at "
        "most one decimal (text may use a decimal comma), “na”, or null (clears the answer). "
        "A value that does not fit the criterion is a 400 with its message under `value` and "
        "its code (`wrong_type`, `out_of_range`, `too_many_decimals`, `na_not_allowed`).",
    )
    def put(self, request: Request, pk: str, criterion_code: str) -> Response:
        body = AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # The service reads the inspection once, locked, and answers 404 for one not visible.
        answer = services.answer_set(
            by=policies.acting(request.user),
            inspection=pk,
            criterion_code=criterion_code,
            value=data["value"],
            note=data.get("note"),
            flagged=data.get("flagged"),
        )
        return Response(AnswerSerializer(answer).data)


class SubmitView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionDetailSerializer

    @extend_schema(
        request=None,
        responses={200: InspectionDetailSerializer, **errors(400, 401, 403, 404, 409)},
        description="A refused submit is a 400 listing every problem per criterion code.",
    )
    def post(self, request: Request, pk: str) -> Response:
        services.inspection_submit(
            by=policies.acting(request.user), inspection=visible_inspection(request, pk)
        )
        return detail_response(request, pk)


class ApproveView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionDetailSerializer

    @extend_schema(
        request=None,
        responses={200: InspectionDetailSerializer, **errors(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: str) -> Response:
        services.inspection_approve(
            by=policies.acting(request.user), inspection=visible_inspection(request, pk)
        )
        return detail_response(request, pk)


class ReturnView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionDetailSerializer

    @extend_schema(
        request=ReturnSerializer,
        responses={200: InspectionDetailSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_return(
            by=policies.acting(request.user),
            inspection=inspection,
            reason=body.validated_data["reason"],
            criteria=body.validated_data["criteria"],
        )
        return detail_response(request, pk)


class ReviseView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = InspectionDetailSerializer

    @extend_schema(
        request=ReviseSerializer,
        responses={200: InspectionDetailSerializer, **errors(400, 401, 403, 404, 409)},
        description="Internal Affairs corrects an approved inspection: a new revision.",
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = ReviseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.inspection_revise(
            by=policies.acting(request.user),
            inspection=inspection,
            reason=body.validated_data["reason"],
            answers=body.validated_data["answers"],
        )
        return detail_response(request, pk)


class ScoreView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = ScoreSerializer

    @extend_schema(responses={200: ScoreSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        """The scores the services stored with the last answer: nothing is recomputed here."""
        inspection = visible_inspection(request, pk)
        levels = ClassificationLevel.objects.filter(version_id=inspection.round.version_id)
        names = {level.code: level.display_name for level in levels}
        data = {
            "inspection": inspection.pk,
            "revision": inspection.revision,
            "total": inspection.score,
            "earned": inspection.earned_points,
            "possible": inspection.possible_points,
            "classification": inspection.classification,
            "classification_name": names.get(inspection.classification, ""),
            "enough_basis": inspection.enough_basis,
            "critical_failures": inspection.critical_failures,
            "sections": inspection.section_scores,
            "criteria": inspection.criterion_scores,
        }
        return Response(ScoreSerializer(data).data)
