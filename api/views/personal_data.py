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
from inspections.personal_data_archive import download_headers, personal_data_chunks
from inspections.services.personal_data import personal_data_check, personal_data_download


class PersonalDataView(ApiView):
    """Account, roles, uploaded photos (with a list), events naming the caller, notifications
    and API tokens (never a secret), streamed as a ZIP; recorded, a few times an hour.

    HEAD is a safe method (RFC 9110 §9.2.1, §9.3.2): link checkers, proxies and `curl -I`
    send it without meaning to download. It gets GET's headers after the same permission
    check, but is neither recorded nor counted against the hour's allowance, and no archive
    is built; so it does not say whether a GET would now be refused (429)."""

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
        return StreamingHttpResponse(personal_data_chunks(person), headers=download_headers(person))

    def head(self, request: Request) -> Any:
        person = policies.acting(request.user)
        personal_data_check(by=person, person=person)
        # Streamed, with nothing to stream: no "Content-Length: 0" for a file that is not empty.
        return StreamingHttpResponse((), headers=download_headers(person))
