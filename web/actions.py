"""One corrective action: what was found, the unit's responses, and the verifier's verdict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, services
from inspections.errors import DomainError
from inspections.models import ActionResponse, CorrectiveAction
from inspections.policies import Viewer
from web.errors import form_refusal, message_of


def visible_action(user: Viewer, pk: int) -> CorrectiveAction:
    responses = ActionResponse.objects.order_by("created_at").prefetch_related("photos")
    found = (
        policies.actions_for(user)
        .select_related("unit", "criterion", "inspection__round")
        .prefetch_related(Prefetch("responses", queryset=responses))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("Không tìm thấy yêu cầu khắc phục."))
    return found


def _page(
    request: HttpRequest, action: CorrectiveAction, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "action": action,
        "may_verify": policies.may_verify_action(request.user, action)
        and action.status == CorrectiveAction.Status.RESPONDED,
        "error": error,
        "note": request.POST.get("note", "") if error else "",
    }
    return render(request, "web/actions/detail.html", context, status=status)


@login_required
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, visible_action(request.user, pk))


@login_required
@require_POST
def action_verdict(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    """Verify the unit's fix, or reopen the action with what is still missing."""
    action = visible_action(request.user, pk)
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
        return _page(request, action, error=message_of(refused), status=status)
    messages.success(request, done)
    return redirect("action", pk=action.pk)
