"""The review queue of Internal Affairs: approve, return with reasons, revise an approved one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, selectors, services
from inspections.answers import form_text, posted, revised_field
from inspections.errors import DomainError
from inspections.evidence_checks import summary as evidence_summary
from inspections.models import Inspection
from inspections.selectors import build_checklist, visible_inspection
from inspections.selectors.filters import InspectionFilter
from web import lists
from web.errors import form_refusal, message_of
from web.rounds import refuse_leader, require_reader


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    # A bad filter is refused by the selector; the middleware shows its 400 page.
    rows = list(selectors.review_queue(user=request.user, query=request.GET))
    filters = lists.filter_form(
        InspectionFilter,
        request.GET,
        only=["q", "round", "group", "inspector", "sort"],
        pickers={
            "round": lists.round_choices(),
            "group": lists.group_choices(),
            "inspector": lists.inspector_choices(),
        },
    )
    context = {
        "inspections": rows,
        "filters": filters,
        "filtered": lists.is_filtered(InspectionFilter, request.GET),
    }
    return render(request, "web/rounds/queue.html", context)


def _page(
    request: HttpRequest, inspection: Inspection, *, status: int = 200, **extra: Any
) -> HttpResponse:
    checklist = build_checklist(inspection, with_levels=True)
    problems: dict[str, list[str]] = extra.pop("field_errors", {})
    for row in checklist.rows:  # a refused revision shows what was typed, not lost
        if f"n-{row.code}" in request.POST:
            raw = posted(request.POST, value_key=f"v-{row.code}", na_key=f"na-{row.code}")
            row.value = raw.strip()
            row.note = request.POST[f"n-{row.code}"]
        found = [*problems.get(row.code, []), *problems.get(revised_field(row.code), [])]
        row.error = " ".join(found)
    context = {
        "inspection": inspection,
        "checklist": checklist,
        # Each photo carries its findings (inspections/evidence_checks.py); counted here.
        "check_summary": evidence_summary([p for row in checklist.rows for p in row.photos]),
        "may_edit": policies.may_manage_movement(request.user),
        "posted": request.POST,
        **extra,
    }
    return render(request, "web/rounds/inspection.html", context, status=status)


@login_required
def inspection_page(request: HttpRequest, pk: Any) -> HttpResponse:
    require_reader(request.user)
    return _page(request, visible_inspection(request.user, pk))


def _refused(request: HttpRequest, inspection: Inspection, error: DomainError) -> HttpResponse:
    status = form_refusal(error)
    inspection.refresh_from_db()
    return _page(
        request,
        inspection,
        status=status,
        error=message_of(error),
        field_errors=error.fields,
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: Any) -> HttpResponse:
    require_reader(request.user)
    refuse_leader(request.user)
    inspection = visible_inspection(request.user, pk)
    try:
        services.inspection_approve(by=policies.acting(request.user), inspection=inspection)
    except DomainError as refused:
        return _refused(request, inspection, refused)
    messages.success(request, _("Đã duyệt phiếu."))
    return redirect("review-queue")


@login_required
@require_POST
def return_(request: HttpRequest, pk: Any) -> HttpResponse:
    require_reader(request.user)
    refuse_leader(request.user)
    inspection = visible_inspection(request.user, pk)
    try:
        services.inspection_return(
            by=policies.acting(request.user),
            inspection=inspection,
            reason=request.POST.get("reason", ""),
            criteria=request.POST.getlist("criteria"),
        )
    except DomainError as refused:
        return _refused(request, inspection, refused)
    messages.success(request, _("Đã trả lại phiếu cho cán bộ kiểm tra."))
    return redirect("review-queue")


@login_required
@require_POST
def revise(request: HttpRequest, pk: Any) -> HttpResponse:
    """Only the criteria whose value or note changed go to the service."""
    require_reader(request.user)
    refuse_leader(request.user)
    inspection = visible_inspection(request.user, pk)
    changes: dict[str, dict[str, Any]] = {}
    for row in build_checklist(inspection).rows:
        note = request.POST.get(f"n-{row.code}")
        if note is None:
            continue  # not on the posted form
        raw = posted(request.POST, value_key=f"v-{row.code}", na_key=f"na-{row.code}")
        # Parsed once, by the service; a value that does not fit differs from any stored one.
        if form_text(row.criterion, raw) != row.value or note.strip() != row.note:
            changes[row.code] = {"value": raw, "note": note}
    try:
        services.inspection_revise(
            by=policies.acting(request.user),
            inspection=inspection,
            reason=request.POST.get("reason", ""),
            answers=changes,
        )
    except DomainError as refused:
        return _refused(request, inspection, refused)
    messages.success(request, _("Đã điều chỉnh kết quả phiếu."))
    return redirect("review-inspection", pk=inspection.pk)
