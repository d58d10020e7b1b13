""" "Việc của tôi": the inspector's assignments in open rounds, and starting one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, services
from inspections.errors import DomainError, InspectionExists
from inspections.models import Assignment
from inspections.selectors import my_tasks
from web.errors import form_refusal


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
