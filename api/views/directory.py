"""Read-only directory data every signed-in user needs: units, groups, model catalogues."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.catalogue import CatalogueSerializer, ModelVersionSerializer
from api.serializers.common import GroupSerializer, UnitSerializer
from api.views.base import ApiView, errors, filter_parameters, get_visible
from inspections import policies, selectors
from inspections.models import Criterion, Group, ModelVersion, OrgUnit, Section
from inspections.selectors.filters import UnitFilter


class UnitListView(ApiView):
    """The organisation tree, flat: filter by group, parent, or a word of the name or code."""

    queryset = OrgUnit.objects.all()
    serializer_class = UnitSerializer

    @extend_schema(
        parameters=filter_parameters(UnitFilter),
        responses={200: UnitSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.unit_list(query=request.query_params))
        return self.get_paginated_response(UnitSerializer(page, many=True).data)


class GroupListView(ApiView):
    queryset = Group.objects.all()
    serializer_class = GroupSerializer

    @extend_schema(responses={200: GroupSerializer(many=True), **errors(400, 401)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(Group.objects.all())
        return self.get_paginated_response(GroupSerializer(page, many=True).data)


class ModelListView(ApiView):
    """Model versions (one catalogue each); a round names the version it uses."""

    queryset = ModelVersion.objects.all()
    serializer_class = ModelVersionSerializer

    @extend_schema(responses={200: ModelVersionSerializer(many=True), **errors(400, 401)})
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
