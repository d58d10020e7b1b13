"""Commitments per year: which units signed, the share signed, and the unit's own upload."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import policies, selectors, services
from inspections.errors import DomainError
from inspections.models import RoleKind
from inspections.photos import max_bytes
from inspections.selectors.filters import CommitmentBoardFilter
from web import lists
from web.errors import form_refusal, message_of
from web.fields import DayMonthYearField


class SignedOnForm(forms.Form):
    signed_on = DayMonthYearField(label=gettext_lazy("Ngày ký"), required=False)


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    query = {"year": request.GET.get("nam") or str(timezone.localdate().year)}
    # The year is checked by the commitments' own filter, as in the API; a bad one is
    # refused there, and the middleware shows its 400 page.
    selectors.commitment_list(user=request.user, query=query)
    year = int(query["year"])
    status, error = 200, ""
    if request.method == "POST":
        status, error = _record(request, year)
        if status == 302:
            messages.success(request, _("Đã ghi nhận bản cam kết."))
            return redirect(f"{request.path}?nam={year}")
    board = selectors.commitment_board(user=request.user, year=year, query=request.GET)
    units = policies.visible_units(request.user).filter(valid_to__isnull=True)
    context = {
        "year": year,
        "rows": board.rows,
        "signed_count": board.signed,
        "unit_count": board.units,
        "share": board.share,
        "may_upload": [
            u
            for u in units.exclude(commitments__year=year)
            if policies.is_office_of(request.user, u)
        ]
        if policies.units_where(request.user, RoleKind.OFFICE)
        else [],
        "error": error,
        "date_form": SignedOnForm(request.POST or None, auto_id="c-%s"),
        "filters": lists.filter_form(
            CommitmentBoardFilter, request.GET, pickers={"group": lists.group_choices()}
        ),
        "filtered": lists.is_filtered(CommitmentBoardFilter, request.GET),
    }
    return render(request, "web/office/commitments.html", context, status=status)


def _record(request: HttpRequest, year: int) -> tuple[int, str]:
    unit = policies.visible_units(request.user).filter(code=request.POST.get("unit", "")).first()
    scan = request.FILES.get("scan")
    if unit is None or scan is None:
        return 400, _("Hãy chọn đơn vị và tệp bản cam kết đã ký.")
    dated = SignedOnForm(request.POST)
    if not dated.is_valid():
        return 400, " ".join(str(e) for e in dated.errors["signed_on"])
    signed_on: datetime.date | None = dated.cleaned_data["signed_on"]
    try:
        services.commitment_record(
            by=policies.acting(request.user),
            unit=unit,
            year=year,
            signed_on=signed_on,
            data=scan.read(max_bytes() + 1),
        )
    except DomainError as refused:
        return form_refusal(refused), message_of(refused)
    return 302, ""
