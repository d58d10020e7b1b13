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
from inspections.models import EvidencePhoto
from inspections.photos import max_bytes
from web.errors import form_refusal, message_of
from web.fields import DayMonthYearField


class SignedOnForm(forms.Form):
    signed_on = DayMonthYearField(label=gettext_lazy("Ngày ký"), required=False)


@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    query = {"year": request.GET.get("nam") or str(timezone.localdate().year)}
    # The year is checked by the commitments' own filter, as in the API; a bad one is
    # refused there, and the middleware shows its 400 page.
    of_year = selectors.commitment_list(user=request.user, query=query)
    year = int(query["year"])
    status, error = 200, ""
    if request.method == "POST":
        status, error = _record(request, year)
        if status == 302:
            messages.success(request, _("Đã ghi nhận bản cam kết."))
            return redirect(f"{request.path}?nam={year}")
    units = list(policies.visible_units(request.user).filter(valid_to__isnull=True))
    signed = {c.unit_id: c for c in of_year.filter(unit__in=units)}
    scans = {
        p.commitment_id: p
        for p in EvidencePhoto.objects.filter(commitment_id__in=[c.pk for c in signed.values()])
    }
    rows = [(u, signed.get(u.pk), scans.get(getattr(signed.get(u.pk), "pk", None))) for u in units]
    context = {
        "year": year,
        "rows": rows,
        "signed_count": len(signed),
        "share": round(100 * len(signed) / len(units)) if units else 0,
        "may_upload": [
            u for u in units if policies.is_office_of(request.user, u) and u.pk not in signed
        ],
        "error": error,
        "date_form": SignedOnForm(request.POST or None, auto_id="c-%s"),
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
