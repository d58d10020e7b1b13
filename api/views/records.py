"""The biên bản (PDF) of an inspection, the round's report, and the team, the people present
and the signatures that the record shows."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.records import (
    MemberAddSerializer,
    RecordQuerySerializer,
    RepresentativeSerializer,
    SignatureWriteSerializer,
    TeamNoteSerializer,
    TeamSerializer,
)
from api.views.base import ApiView, errors, get_visible, query_filters
from api.views.inspections import visible_inspection
from api.views.photos import _AnyAccept
from inspections import policies, services
from inspections.documents.report import round_report_pdf
from inspections.models import Inspection, Round, display_name
from inspections.selectors.records import answers_hash, signatures_for, team_of

_PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}


def pdf_response(data: bytes, *, name: str, etag: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class RecordPdfView(ApiView):
    """The biên bản of an approved official inspection, made on the first request of each
    revision and kept: the same bytes every time after (the ETag is their SHA-256)."""

    queryset = Inspection.objects.all()
    serializer_class = RecordQuerySerializer
    content_negotiation_class = _AnyAccept

    @extend_schema(
        parameters=[OpenApiParameter("revision", OpenApiTypes.INT, OpenApiParameter.QUERY)],
        responses={**_PDF, **errors(400, 401, 404, 409)},
        description="The latest revision's record; `?revision=N` for an earlier one.",
    )
    def get(self, request: Request, pk: str) -> Any:
        inspection = visible_inspection(request, pk)
        query = query_filters(request, RecordQuerySerializer)
        record = services.record_file(
            by=policies.acting(request.user), inspection=inspection, revision=query.get("revision")
        )
        with record.file.open("rb") as handle:
            data = handle.read()
        number = inspection.record_number or 0
        name = f"bien-ban-{number:02d}-{inspection.record_year}-r{record.revision}.pdf"
        return pdf_response(data, name=name, etag=record.sha256)


class RoundReportView(ApiView):
    queryset = Round.objects.all()
    serializer_class = RecordQuerySerializer
    content_negotiation_class = _AnyAccept

    @extend_schema(
        responses={**_PDF, **errors(401, 403, 404, 409)},
        description="“Thông báo kết quả kiểm tra” of a published round, from its snapshot.",
    )
    def get(self, request: Request, pk: str) -> Any:
        round_ = get_visible(Round.objects.select_related("version__model"), pk)
        if not policies.may_read_ranking(
            request.user, published=round_.status == Round.Status.PUBLISHED
        ):
            raise PermissionDenied()
        data = round_report_pdf(round_)
        return pdf_response(
            data, name=f"thong-bao-ket-qua-{round_.pk}.pdf", etag=hashlib.sha256(data).hexdigest()
        )


def team_body(inspection: Inspection) -> dict[str, Any]:
    team = team_of(inspection)
    covering = answers_hash(inspection)
    states = signatures_for(inspection, revision=inspection.revision, covering=covering)
    return {
        "lead": {"id": inspection.inspector_id, "name": display_name(team.lead)},
        "members": [
            {"user_id": m.user_id, "name": display_name(m.user), "note": m.note}
            for m in team.members
        ],
        "representatives": [
            {"id": p.pk, "name": p.name, "position": p.position} for p in team.representatives
        ],
        "signatures": [
            {
                "id": s.signature.pk,
                "role": s.signature.role,
                "name": s.signature.name,
                "position": s.signature.position,
                "on_paper": s.signature.on_paper,
                "signed_at": s.signature.signed_at,
                "revision": s.signature.revision,
                "current": s.current,
            }
            for s in states.values()
        ],
    }


def team_response(inspection: Inspection, code: int = status.HTTP_200_OK) -> Response:
    return Response(TeamSerializer(team_body(inspection)).data, status=code)


class TeamView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(responses={200: TeamSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        return team_response(visible_inspection(request, pk))


class MembersView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        request=MemberAddSerializer,
        responses={200: TeamSerializer, **errors(400, 401, 403, 404, 409)},
        description="Add an inspector to the team (never one of the unit inspected or above).",
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_member_add(
            by=policies.acting(request.user),
            inspection=inspection,
            user_id=body.validated_data["user"],
        )
        return team_response(inspection)


class MemberView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        parameters=[OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: TeamSerializer, **errors(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: str, user_id: int) -> Response:
        inspection = visible_inspection(request, pk)
        services.team_member_remove(
            by=policies.acting(request.user), inspection=inspection, user_id=user_id
        )
        return team_response(inspection)


class TeamNoteView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        request=TeamNoteSerializer,
        responses={200: TeamSerializer, **errors(400, 401, 403, 404, 409)},
        description="A team member's own note (members never write answers).",
    )
    def put(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = TeamNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.team_note_set(
            by=policies.acting(request.user),
            inspection=inspection,
            note=body.validated_data["note"],
        )
        return team_response(inspection)


class RepresentativesView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        request=RepresentativeSerializer,
        responses={201: TeamSerializer, 200: TeamSerializer, **errors(400, 401, 403, 404, 409)},
        description="A person of the unit present at the visit; the same client `id` is a 200.",
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = RepresentativeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        _person, created = services.representative_add(
            by=policies.acting(request.user),
            inspection=inspection,
            name=data["name"],
            position=data.get("position", ""),
            id=data.get("id"),
        )
        return team_response(inspection, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RepresentativeView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        parameters=[OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: TeamSerializer, **errors(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: str, person_id: str) -> Response:
        inspection = visible_inspection(request, pk)
        services.representative_remove(
            by=policies.acting(request.user), inspection=inspection, representative_id=person_id
        )
        return team_response(inspection)


class SignaturesView(ApiView):
    queryset = Inspection.objects.all()
    serializer_class = TeamSerializer

    @extend_schema(
        request=SignatureWriteSerializer,
        responses={
            201: TeamSerializer,
            200: TeamSerializer,
            **errors(400, 401, 403, 404, 409),
        },
        description="A drawn signature (or `on_paper`) of the unit's representative or of the "
        "head of the team, covering the answers as they are; the same client `id` is a 200.",
    )
    def post(self, request: Request, pk: str) -> Response:
        inspection = visible_inspection(request, pk)
        body = SignatureWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        _signature, created = services.signature_record(
            by=policies.acting(request.user),
            inspection=inspection,
            role=data["role"],
            name=data.get("name", ""),
            position=data.get("position", ""),
            strokes=data.get("strokes"),
            on_paper=data["on_paper"],
            signed_at=data.get("signed_at"),
            id=data.get("id"),
        )
        return team_response(inspection, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
