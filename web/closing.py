"""Locking and publishing a round: first what is still open, then an explicit confirmation.

The service refuses without the confirmation (and, to publish inspections not yet reviewed,
without a reason); this page shows the same pending list the refusal speaks of.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inspections import policies, selectors, services
from inspections.errors import DomainError, Problem
from inspections.models import Round
from web.errors import form_refusal
from web.rounds import refuse_leader, require_reader


def _confirm_page(request: HttpRequest, pk: int, *, closing: bool) -> HttpResponse:
    require_reader(request.user)
    refuse_leader(request.user)
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    allowed = (Round.Status.OPEN,) if closing else (Round.Status.CLOSED, Round.Status.PUBLISHED)
    if round_.status not in allowed:
        raise DomainError(
            _("Không thể chuyển đợt từ trạng thái “%(state)s”.")
            % {"state": round_.get_status_display()},
            problem=Problem.WRONG_STATE,
        )
    status, errors, error = 200, {}, ""
    if request.method == "POST":
        confirmed = request.POST.get("confirm") == "1"
        reason = request.POST.get("reason", "")
        try:
            if closing:
                services.round_close(
                    round=round_, by=policies.acting(request.user), confirmed=confirmed
                )
            else:
                services.round_publish(
                    round=round_,
                    by=policies.acting(request.user),
                    reason=reason,
                    confirmed=confirmed,
                )
        except DomainError as refused:
            status, errors, error = form_refusal(refused), refused.fields, refused.message
        else:
            done = _("Đã khóa đợt kiểm tra.") if closing else _("Đã công bố bảng xếp hạng.")
            messages.success(request, done)
            return redirect("round", pk=round_.pk)
    pending = selectors.round_pending(round_)
    context: dict[str, Any] = {
        "round": round_,
        "closing": closing,
        "pending": pending,
        "republish": round_.status == Round.Status.PUBLISHED,
        "error": error,
        "confirm_errors": errors.get("confirm", []),
        "reason_errors": errors.get("reason", []),
        "posted": request.POST,
    }
    return render(request, "web/rounds/confirm.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_close_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm_page(request, pk, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def round_publish_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm_page(request, pk, closing=False)
