"""An inspection's history: its timeline and what each correction changed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from inspections import policies, selectors
from inspections.selectors import visible_inspection


@login_required
def history_page(request: HttpRequest, pk: Any) -> HttpResponse:
    inspection = visible_inspection(request.user, pk)
    if not policies.may_read_history(request.user, inspection):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và người lập phiếu được xem lịch sử phiếu."))
    # A bad revision number is refused by the selector; the middleware shows its 400 page.
    diff = (
        selectors.revision_diff(
            inspection,
            from_revision=request.GET.get("from"),
            to_revision=request.GET.get("to"),
        )
        if inspection.revision > 1
        else None
    )
    context = {
        "inspection": inspection,
        "timeline": selectors.inspection_timeline(inspection),
        "diff": diff,
    }
    return render(request, "web/history.html", context)
