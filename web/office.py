"""The unit's pages: its latest approved result, history, corrective actions, self-assessment."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, selectors, services
from inspections.errors import DomainError, InspectionExists
from inspections.models import CorrectiveAction, Inspection, OrgUnit, RoleKind, Round
from inspections.numbers import ascii_int
from inspections.photos import max_bytes
from inspections.policies import Viewer
from inspections.selectors.unit_overview import unit_overview
from web.errors import form_refusal, message_of


def visible_unit(user: Viewer, code: str) -> OrgUnit:
    """The unit if this user may read it; a 404 otherwise (never a 403)."""
    unit = policies.visible_units(user).filter(code=code).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


@login_required
def unit_home(request: HttpRequest) -> HttpResponse:
    units = policies.units_where(request.user, RoleKind.OFFICE)
    if not units:
        raise Http404(_("Bạn không thuộc đơn vị nào."))
    return redirect("unit", code=units[0].code)


def _unit_context(request: HttpRequest, unit: OrgUnit) -> dict[str, Any]:
    overview = unit_overview(request.user, unit)
    return {**vars(overview), "new_id": uuid.uuid4(), **_place_context(request, unit)}


def _place_context(request: HttpRequest, unit: OrgUnit) -> dict[str, Any]:
    """Where the unit is: for Internal Affairs only (an office never sees positions)."""
    if not policies.may_set_unit_place(request.user):
        return {"may_set_place": False}
    return {
        "may_set_place": True,
        "place_proposal": selectors.unit_photo_position(unit),
        "place_posted": request.POST if request.method == "POST" else None,
    }


@login_required
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = visible_unit(request.user, code)
    return render(request, "web/office/unit.html", _unit_context(request, unit))


@login_required
def self_compare(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A self-assessment beside the official result of a round, criterion by criterion."""
    unit = visible_unit(request.user, code)
    round_ = Round.objects.filter(pk=pk).select_related("version").first()
    comparison = selectors.self_comparison(request.user, unit, round_) if round_ else None
    if comparison is None:
        raise Http404(_("Không có tự đánh giá và kết quả chính thức của đợt này để so sánh."))
    return render(request, "web/office/compare.html", {"unit": unit, "comparison": comparison})


@login_required
@require_POST
def action_respond(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The unit reports its fix with a note and photos; a refusal re-shows the page."""
    unit = visible_unit(request.user, code)
    action = selectors.open_actions(request.user, unit).filter(pk=pk).first()
    if action is None:
        if not CorrectiveAction.objects.filter(pk=pk, unit=unit).exists():
            raise Http404(_("Không tìm thấy yêu cầu khắc phục."))
        action = CorrectiveAction.objects.get(pk=pk)
    files = [f.read(max_bytes() + 1) for f in request.FILES.getlist("files")]
    try:
        services.action_respond(
            by=policies.acting(request.user),
            action=action,
            note=request.POST.get("note", ""),
            files=files,
        )
    except DomainError as refused:
        status = form_refusal(refused)
        context = _unit_context(request, unit)
        context.update(
            action_error=message_of(refused), error_action=pk, note=request.POST.get("note", "")
        )
        return render(request, "web/office/unit.html", context, status=status)
    messages.success(request, _("Đã gửi báo cáo khắc phục."))
    return redirect("unit", code=unit.code)


@login_required
@require_POST
def self_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start (or reopen) the unit's self-assessment in an open round, on the same checklist."""
    unit = visible_unit(request.user, code)
    round_ = Round.objects.filter(pk=ascii_int(request.POST.get("round")) or 0).first()
    if round_ is None:
        messages.error(request, _("Hãy chọn một đợt đang kiểm tra."))
        return redirect("unit", code=unit.code)
    try:
        client_id = uuid.UUID(request.POST.get("id", ""))
    except ValueError:
        client_id = None
    try:
        inspection, _created = services.inspection_create(
            by=policies.acting(request.user),
            round=round_,
            unit=unit,
            kind=Inspection.Kind.SELF,
            id=client_id,
        )
    except InspectionExists as exists:
        return redirect("checklist", pk=exists.existing)
    except DomainError as refused:
        status = form_refusal(refused)
        context = _unit_context(request, unit)
        context["self_error"] = message_of(refused)
        return render(request, "web/office/unit.html", context, status=status)
    return redirect("checklist", pk=inspection.pk)


@login_required
@require_POST
def unit_place(request: HttpRequest, code: str) -> HttpResponse:
    """Internal Affairs set (or clear) where the unit is: typed, or the photos' median
    position confirmed from the proposal the page shows."""
    unit = visible_unit(request.user, code)
    try:
        changed = services.unit_place_set(
            by=policies.acting(request.user),
            unit=unit,
            latitude=request.POST.get("latitude", ""),
            longitude=request.POST.get("longitude", ""),
            radius_m=request.POST.get("radius_m", ""),
        )
    except DomainError as refused:
        status = form_refusal(refused)
        context = _unit_context(request, unit)
        context.update(place_error=message_of(refused), place_fields=refused.fields)
        return render(request, "web/office/unit.html", context, status=status)
    if changed:
        messages.success(request, _("Đã lưu vị trí đơn vị; ảnh minh chứng đã được kiểm tra lại."))
    return redirect(f"{reverse('unit', args=[unit.code])}#place-title")
