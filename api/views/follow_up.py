"""Corrective actions (respond, verify, reopen) and commitments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api.parsers import FormParser, JSONParser, MultiPartParser
from api.serializers.follow_up import (
    ActionNoteSerializer,
    ActionRespondSerializer,
    ActionSerializer,
    CommitmentCreateSerializer,
    CommitmentSerializer,
)
from api.views.base import (
    ApiView,
    errors,
    filter_parameters,
    get_visible,
    read_upload,
)
from inspections import policies, selectors, services
from inspections.models import ActionResponse, Commitment, CorrectiveAction
from inspections.policies import actions_for
from inspections.selectors.filters import ActionFilter, CommitmentFilter


def with_responses(rows: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    responses = ActionResponse.objects.order_by("created_at").prefetch_related("photos")
    return rows.select_related("unit", "criterion", "inspection").prefetch_related(
        Prefetch("responses", queryset=responses)
    )


def _actions(request: Request) -> QuerySet[CorrectiveAction]:
    return with_responses(actions_for(request.user))


def _action_response(request: Request, pk: object) -> Response:
    action = get_visible(_actions(request), pk)
    return Response(ActionSerializer(action, context={"request": request}).data)


class ActionListView(ApiView):
    queryset = CorrectiveAction.objects.all()
    serializer_class = ActionSerializer

    @extend_schema(
        parameters=filter_parameters(ActionFilter),
        responses={200: ActionSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.action_list(user=request.user, query=request.query_params)
        page = self.paginate_queryset(with_responses(rows))
        data = ActionSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class ActionRespondView(ApiView):
    queryset = CorrectiveAction.objects.all()
    serializer_class = ActionSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={
            "multipart/form-data": ActionRespondSerializer,
            "application/json": ActionRespondSerializer,
        },
        responses={200: ActionSerializer, **errors(400, 401, 403, 404, 409, 413, 415)},
        description="The unit's report of the fix: a note and photos (`files`, repeated).",
    )
    def post(self, request: Request, pk: str) -> Response:
        action = get_visible(actions_for(request.user), pk)
        body = ActionRespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_respond(
            by=policies.acting(request.user),
            action=action,
            note=body.validated_data["note"],
            files=[read_upload(f) for f in body.validated_data["files"]],
        )
        return _action_response(request, pk)


class ActionVerifyView(ApiView):
    queryset = CorrectiveAction.objects.all()
    serializer_class = ActionSerializer

    @extend_schema(
        request=ActionNoteSerializer,
        responses={200: ActionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: str) -> Response:
        action = get_visible(actions_for(request.user), pk)
        body = ActionNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_verify(
            by=policies.acting(request.user), action=action, note=body.validated_data["note"]
        )
        return _action_response(request, pk)


class ActionReopenView(ApiView):
    queryset = CorrectiveAction.objects.all()
    serializer_class = ActionSerializer

    @extend_schema(
        request=ActionNoteSerializer,
        responses={200: ActionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: str) -> Response:
        action = get_visible(actions_for(request.user), pk)
        body = ActionNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_reopen(
            by=policies.acting(request.user), action=action, note=body.validated_data["note"]
        )
        return _action_response(request, pk)


class CommitmentListView(ApiView):
    queryset = Commitment.objects.all()
    serializer_class = CommitmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=filter_parameters(CommitmentFilter),
        responses={200: CommitmentSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.commitment_list(user=request.user, query=request.query_params)
        page = self.paginate_queryset(rows)
        data = CommitmentSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request={"multipart/form-data": CommitmentCreateSerializer},
        responses={201: CommitmentSerializer, **errors(400, 401, 403, 409, 413, 415)},
        description="One commitment per unit and year, with its signed scan (image or PDF).",
    )
    def post(self, request: Request) -> Response:
        body = CommitmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        commitment = services.commitment_record(
            by=policies.acting(request.user),
            unit=data["unit"],
            year=data["year"],
            signed_on=data["signed_on"],
            note=data["note"],
            data=read_upload(data["file"]),
        )
        rows = Commitment.objects.select_related("unit").prefetch_related("photos")
        body_out = CommitmentSerializer(rows.get(pk=commitment.pk), context={"request": request})
        return Response(body_out.data, status=status.HTTP_201_CREATED)
