"""The biên bản: its PDF for everyone who may see the inspection, and the public page its QR
code opens, which says only what identifies the record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from inspections import policies, services
from inspections.documents.formatting import vn_date
from inspections.documents.record import record_number
from inspections.errors import DomainError, Problem
from inspections.models import InspectionRecord
from inspections.numbers import ascii_int
from inspections.selectors import visible_inspection
from inspections.selectors.records import record_filename, verification_for


def record_response(record: InspectionRecord) -> FileResponse:
    """The stored PDF as a download named after its number, its hash as the ETag."""
    name = record_filename(record)
    try:
        handle = default_storage.open(record.file.name, "rb")
    except OSError:
        raise Http404(name) from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=name
    )
    response["ETag"] = f'"{record.sha256}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def revision_asked(request: HttpRequest) -> int | None:
    raw = request.GET.get("revision", "")
    if raw == "":
        return None
    revision = ascii_int(raw, minimum=0, maximum=9999)
    if revision is None:
        raise DomainError("revision", fields={"revision": [raw[:20]]})
    return revision


@login_required
@require_GET
def record_download(request: HttpRequest, pk: Any) -> HttpResponseBase:
    inspection = visible_inspection(request.user, pk)
    record = services.record_file(
        by=policies.acting(request.user), inspection=inspection, revision=revision_asked(request)
    )
    return record_response(record)


@require_GET
@cache_control(private=True, max_age=0)
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the number, unit, round, date, revision, the PDF's SHA-256 and whether a
    later revision replaced it. Nothing else, no photos."""
    try:
        found = verification_for(token)
    except DomainError as error:
        if error.problem == Problem.NOT_FOUND:
            raise Http404(error.message) from None
        raise
    inspection = found.inspection
    data = {"number": inspection.record_number, "year": inspection.record_year}
    context = {
        "number": record_number(data),
        "year": inspection.record_year,
        "unit": inspection.unit_name_snapshot,
        "round": inspection.round.name,
        "date": vn_date(found.dated),
        "revision": found.revision,
        "latest": inspection.revision,
        "superseded": found.superseded,
        "sha256": found.record.sha256 if found.record else "",
    }
    return render(request, "web/verify.html", context)
