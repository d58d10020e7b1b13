"""GET /api/v1/me/personal-data.zip: the caller's own data, as the account page gives it."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from api.views.base import ApiView, errors
from api.views.photos import _AnyAccept
from inspections import policies
from inspections.evidence_archive import ZIP_TYPE
from inspections.personal_data_archive import personal_data_chunks, zip_name
from inspections.services.personal_data import personal_data_download


class PersonalDataView(ApiView):
    """Account, roles, uploaded photos (with a list), events naming the caller, notifications
    and API tokens (never a secret), streamed as a ZIP; recorded, a few times an hour."""

    content_negotiation_class = _AnyAccept

    @extend_schema(
        responses={
            (200, ZIP_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="ZIP"),
            **errors(401, 429),
        },
        tags=["auth"],
    )
    def get(self, request: Request) -> Any:
        person = policies.acting(request.user)
        personal_data_download(by=person, person=person)  # too many: 429 by api/errors.py
        response = StreamingHttpResponse(personal_data_chunks(person), content_type=ZIP_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{zip_name(person)}"'
        response["Cache-Control"] = "private, no-store"
        return response
