"""The leaders' dashboard: read-only figures for leaders and Internal Affairs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspections import selectors
from inspections.models import Round, UnitResult
from inspections.selectors.rankings import cap_note
from web.rounds import require_reader


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    latest = (
        Round.objects.filter(results__isnull=False).select_related("version").distinct().first()
    )
    names = selectors.class_names({latest.version_id}) if latest else {}

    def entry(result: UnitResult) -> dict[str, object]:
        assert latest is not None
        name = names.get((latest.version_id, result.classification), "")
        return {"result": result, "class_name": name, "cap": cap_note(name, result.capped_by)}

    ends = [
        {
            "group": group.group_name,
            "top": [entry(r) for r in group.top],
            "bottom": [entry(r) for r in group.bottom],
        }
        for group in (selectors.top_and_bottom(latest) if latest else [])
    ]
    distribution = [
        (group, names.get((latest.version_id, code), code) if latest else code, n)
        for group, code, n in (selectors.class_distribution(latest) if latest else [])
    ]
    context = {
        "progress": selectors.rounds_progress(),
        "latest": latest,
        "distribution": distribution,
        "ends": ends,
        "overdue": selectors.units_with_overdue_actions(),
    }
    return render(request, "web/dashboard/index.html", context)
