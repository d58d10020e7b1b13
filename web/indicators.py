"""The service indicators on the checklist: accept a proposed value with its evidence, or
override it with a reason; the summary the proposal rests on, as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies
from inspections.errors import DomainError
from inspections.models import Inspection
from inspections.selectors import visible_inspection
from inspections.selectors.indicators import INDICATOR_CODES, indicator_proposal
from inspections.services.indicators import (
    evidence_document,
    indicator_accept,
    indicator_override,
)
from web.errors import form_refusal, message_of


def _back(inspection: Inspection, code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("checklist", args=[inspection.pk]) + f"#c-{code}")


def _inspection(request: HttpRequest, pk: Any, code: str) -> Inspection:
    if code not in INDICATOR_CODES:
        raise Http404(_("Tiêu chí này không có giá trị đề xuất."))
    return visible_inspection(request.user, pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: Any, code: str) -> HttpResponse:
    inspection = _inspection(request, pk, code)
    try:
        indicator_accept(by=policies.acting(request.user), inspection=inspection, code=code)
    except DomainError as error:
        form_refusal(error)
        messages.error(request, message_of(error))
    else:
        messages.success(request, _("Đã lưu %(code)s kèm bản tổng hợp.") % {"code": code})
    return _back(inspection, code)


@login_required
@require_POST
def override(request: HttpRequest, pk: Any, code: str) -> HttpResponse:
    """Saved: back to the criterion. Refused: the form again, with what was typed and each
    problem beside its field (the checklist's folded form cannot show them)."""
    inspection = _inspection(request, pk, code)
    posted = {"value": request.POST.get("value", ""), "note": request.POST.get("note", "")}
    try:
        indicator_override(
            by=policies.acting(request.user), inspection=inspection, code=code, **posted
        )
    except DomainError as error:
        status = form_refusal(error)
        context = {
            "inspection": inspection,
            "code": code,
            "posted": posted,
            "error": error.message,
            "errors": error.fields,
        }
        return render(request, "web/surveys/indicator_override.html", context, status=status)
    messages.success(request, _("Đã lưu giá trị khác cho %(code)s.") % {"code": code})
    return _back(inspection, code)


@login_required
def summary(request: HttpRequest, pk: Any, code: str) -> HttpResponse:
    """The document a proposal rests on, as the evidence would be attached."""
    inspection = _inspection(request, pk, code)
    proposal = indicator_proposal(inspection, code)
    if proposal is None:
        raise Http404(_("Tiêu chí này không có giá trị đề xuất."))
    document, _caption, _note = evidence_document(inspection, proposal)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tong-hop-{code}.pdf"'
    return response
