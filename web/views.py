""" "Việc của tôi": the inspector's assignments in open rounds, and starting one."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, selectors, services
from inspections.errors import DomainError, InspectionExists
from inspections.models import Assignment, RoleKind
from inspections.selectors import my_tasks
from web.errors import form_refusal


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is; a person with several roles sees a block for each."""
    user = request.user
    kinds = {role.kind for role in policies.roles_of(user)}
    if kinds == {RoleKind.INSPECTOR}:
        return my_work(request)
    if kinds == {RoleKind.OFFICE}:
        return redirect("unit-home")
    if kinds == {RoleKind.LEADER}:
        return redirect("dashboard")
    context: dict[str, Any] = {
        "kinds": kinds,
        "office_units": policies.units_where(user, RoleKind.OFFICE),
    }
    if RoleKind.INSPECTOR in kinds:
        tasks = my_tasks(user)
        context.update(tasks=tasks, late_count=sum(t.late for t in tasks))
    if RoleKind.INTERNAL_AFFAIRS in kinds:
        context["waiting"] = selectors.waiting_for_internal_affairs()
        context["queue"] = selectors.review_queue(user=user)[:20]
    return render(request, "web/home.html", context)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    tasks = my_tasks(request.user)
    return render(
        request,
        "web/my_work.html",
        {"tasks": tasks, "late_count": sum(t.late for t in tasks)},
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the inspection of an assignment; the form's id makes a double tap harmless."""
    assignment = (
        Assignment.objects.filter(pk=pk, inspector_id=request.user.pk)
        .select_related("round")
        .first()
    )
    if assignment is None:
        raise Http404(_("Không tìm thấy phân công."))
    try:
        client_id = uuid.UUID(request.POST.get("id", ""))
    except ValueError:
        client_id = None
    try:
        inspection, _created = services.inspection_create(
            by=policies.acting(request.user),
            round=assignment.round,
            unit=assignment.unit,
            id=client_id,
        )
    except InspectionExists as exists:
        return redirect("checklist", pk=exists.existing)
    except DomainError as error:
        status = form_refusal(error)
        messages.error(request, error.message)
        return render(
            request,
            "web/my_work.html",
            {"tasks": my_tasks(request.user), "late_count": 0},
            status=status,
        )
    return redirect("checklist", pk=inspection.pk)
