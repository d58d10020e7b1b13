"""Corrective actions: the lists by state, unit, round and due date; one action's page with
what was found, the unit's responses, before and after photos, the verdict and the timeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, selectors, services
from inspections.errors import DomainError
from inspections.models import CorrectiveAction
from inspections.numbers import ascii_int
from inspections.photos import max_bytes
from inspections.selectors import ActionStory
from inspections.selectors.filters import ActionFilter
from web.errors import form_refusal, message_of

PAGE_SIZE = 50


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action the user may see, filtered in the URL (a link can be shared), overdue
    first. A bad filter is a DomainError: the middleware's 400 page names it."""
    rows = selectors.action_list(user=request.user, query=request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(ascii_int(request.GET.get("trang")) or 1)
    units, rounds = selectors.action_filter_choices(request.user)
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "actions": list(page.object_list),
        "units": units,
        "rounds": rounds,
        "statuses": CorrectiveAction.Status.choices,
        "chosen": {name: request.GET.get(name, "") for name in ActionFilter.base_filters},
        "query": query.urlencode(),
    }
    return render(request, "web/actions/list.html", context)


def _story(request: HttpRequest, pk: int) -> ActionStory:
    story = selectors.action_story(request.user, pk)
    if story is None:
        raise Http404(_("Không tìm thấy yêu cầu khắc phục."))
    return story


def _page(
    request: HttpRequest,
    story: ActionStory,
    *,
    error: str = "",
    form: str = "",
    status: int = 200,
) -> HttpResponse:
    action = story.action
    superseded_by = next(
        (
            e.data.get("revision")
            for e in reversed(story.timeline)
            if e.action == "action_superseded"
        ),
        None,
    )
    context = {
        "story": story,
        "action": action,
        "may_respond": policies.may_respond_to_action(request.user, action)
        and action.status in selectors.OPEN_ACTION_STATES,
        "may_verify": policies.may_verify_action(request.user, action)
        and action.status == CorrectiveAction.Status.RESPONDED,
        "needs_evidence": action.needs_evidence,
        # Findings name other units' evidence: for those who judge the fix, not the office.
        "show_checks": policies.may_verify_action(request.user, action),
        "superseded_by": superseded_by,
        "error": error,
        "form": form,
        "note": request.POST.get("note", "") if error else "",
    }
    return render(request, "web/actions/detail.html", context, status=status)


@login_required
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _story(request, pk))


@login_required
@require_POST
def action_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit reports its fix with a note and photos; a refusal re-shows the page."""
    story = _story(request, pk)
    files: list[Any] = [f.read(max_bytes() + 1) for f in request.FILES.getlist("files")]
    try:
        services.action_respond(
            by=policies.acting(request.user),
            action=story.action,
            note=request.POST.get("note", ""),
            files=files,
        )
    except DomainError as refused:
        status = form_refusal(refused)
        error = message_of(refused)
        return _page(request, _story(request, pk), error=error, form="respond", status=status)
    messages.success(request, _("Đã gửi báo cáo khắc phục."))
    return redirect("action", pk=pk)


@login_required
@require_POST
def action_verdict(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    """Verify the unit's fix, or reopen the action with what is still missing."""
    action = _story(request, pk).action
    note = request.POST.get("note", "")
    by = policies.acting(request.user)
    try:
        if verdict == "xac-nhan":
            services.action_verify(by=by, action=action, note=note)
            done = _("Đã xác nhận kết quả khắc phục.")
        elif verdict == "khac-phuc-lai":
            services.action_reopen(by=by, action=action, note=note)
            done = _("Đã yêu cầu đơn vị khắc phục lại.")
        else:
            raise Http404(_("Không tìm thấy trang."))
    except DomainError as refused:
        status = form_refusal(refused)
        error = message_of(refused)
        return _page(request, _story(request, pk), error=error, form=verdict, status=status)
    messages.success(request, done)
    return redirect("action", pk=action.pk)
