"""The leaders' dashboard: read-only figures for leaders and Internal Affairs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections import selectors
from inspections.models import Round
from web.rounds import require_reader


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    latest = (
        Round.objects.filter(results__isnull=False).select_related("version").distinct().first()
    )
    top, bottom = selectors.top_and_bottom(latest) if latest else ([], [])
    names = selectors.class_names({latest.version_id}) if latest else {}
    distribution = [
        (group, names.get((latest.version_id, code), code) if latest else code, n)
        for group, code, n in (selectors.class_distribution(latest) if latest else [])
    ]
    context = {
        "progress": selectors.rounds_progress(),
        "latest": latest,
        "distribution": distribution,
        "top": top,
        "bottom": bottom,
        "overdue": selectors.units_with_overdue_actions(),
    }
    return render(request, "web/dashboard/index.html", context)
