"""Read-only directory data every signed-in user needs: units, groups, model catalogues."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.catalogue import CatalogueSerializer, ModelVersionSerializer
from api.serializers.common import MAX_ID, GroupSerializer, UnitSerializer
from api.views.base import ApiView, errors, get_visible, query_filters
from inspections import policies
from inspections.models import Criterion, Group, ModelVersion, OrgUnit, Section


class UnitFilterSerializer(serializers.Serializer[Any]):
    group = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    # A field named like Field.parent: fine at run time, the metaclass moves it to .fields.
    parent = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)  # type: ignore[assignment]
    q = serializers.CharField(required=False, max_length=100)


class UnitListView(ApiView):
    """The organisation tree, flat: filter by group, parent, or a word of the name or code."""

    queryset = OrgUnit.objects.all()
    serializer_class = UnitSerializer

    @extend_schema(
        parameters=[UnitFilterSerializer],
        responses={200: UnitSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        wanted = query_filters(request, UnitFilterSerializer)
        units = OrgUnit.objects.all()
        if "group" in wanted:
            units = units.filter(group_id=wanted["group"])
        if "parent" in wanted:
            units = units.filter(parent_id=wanted["parent"])
        if wanted.get("q"):
            units = units.filter(Q(name__icontains=wanted["q"]) | Q(code__icontains=wanted["q"]))
        page = self.paginate_queryset(units)
        return self.get_paginated_response(UnitSerializer(page, many=True).data)


class GroupListView(ApiView):
    queryset = Group.objects.all()
    serializer_class = GroupSerializer

    @extend_schema(responses={200: GroupSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(Group.objects.all())
        return self.get_paginated_response(GroupSerializer(page, many=True).data)


class ModelListView(ApiView):
    """Model versions (one catalogue each); a round names the version it uses."""

    queryset = ModelVersion.objects.all()
    serializer_class = ModelVersionSerializer

    @extend_schema(responses={200: ModelVersionSerializer(many=True), **errors(401)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(policies.visible_versions(request.user))
        return self.get_paginated_response(ModelVersionSerializer(page, many=True).data)


class ModelDetailView(ApiView):
    """The whole catalogue of one model version."""

    queryset = ModelVersion.objects.all()
    serializer_class = CatalogueSerializer

    @extend_schema(responses={200: CatalogueSerializer, **errors(401, 404)})
    def get(self, request: Request, pk: str) -> Response:
        criteria = Criterion.objects.order_by("order", "code")
        versions = policies.visible_versions(request.user).prefetch_related(
            "levels",
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("order", "code").prefetch_related(
                    Prefetch("criteria", queryset=criteria)
                ),
            ),
        )
        return Response(CatalogueSerializer(get_visible(versions, pk)).data)
