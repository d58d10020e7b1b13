"""Full data exports (built in the background) and evidence archives (streamed at once)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import data_exports, policies, services
from inspections.errors import DomainError
from inspections.evidence_archive import DISPLAY, ORIGINAL, ZIP_TYPE, archive_chunks
from inspections.models import ExportJob, OrgUnit, Round
from inspections.numbers import ascii_int
from inspections.selectors.archive import evidence_items
from inspections.selectors.exports import ExportScope
from inspections.services.exports import DATA
from web.errors import form_refusal
from web.fields import IdChoiceField
from web.office import visible_unit
from web.rounds import add_domain_errors

ALL = "all"


class DataExportForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Phạm vi"),
        choices=[("round", gettext_lazy("Một đợt kiểm tra")), ("year", gettext_lazy("Cả năm"))],
        widget=forms.RadioSelect,
        initial="round",
    )
    round = IdChoiceField(
        label=gettext_lazy("Đợt kiểm tra"),
        queryset=Round.objects.order_by("-ends_on", "-pk"),
        required=False,
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int, required=False)
    table = forms.ChoiceField(label=gettext_lazy("Dữ liệu"), widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="xlsx",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = services.export_years()
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["table"].choices = [  # type: ignore[attr-defined]
            *data_exports.table_names().items(),
            (ALL, _("Cả ba bảng (chỉ XLSX, mỗi bảng một trang tính)")),
        ]
        self.fields["table"].initial = data_exports.ANSWERS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "round" and not data.get("round"):
            self.add_error("round", _("Hãy chọn đợt kiểm tra."))
        if data.get("scope") == "year" and not data.get("year"):
            self.add_error("year", _("Hãy chọn năm."))
        return data

    def export_scope(self) -> ExportScope:
        data = self.cleaned_data
        if data["scope"] == "round":
            return ExportScope(round=data["round"])
        return ExportScope(year=data["year"])

    def tables(self) -> list[str]:
        chosen = self.cleaned_data["table"]
        return list(data_exports.TABLES) if chosen == ALL else [chosen]


def _require_exporter(request: HttpRequest) -> None:
    if not policies.may_export_data(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xuất toàn bộ dữ liệu."))


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Pick a round or a year, a table and a format; the file is written in the background."""
    _require_exporter(request)
    status = 200
    if request.method == "POST":
        form = DataExportForm(request.POST)
        if form.is_valid():
            try:
                job = services.data_export_start(
                    by=policies.acting(request.user),
                    scope=form.export_scope(),
                    tables=form.tables(),
                    kind=form.cleaned_data["kind"],
                )
            except DomainError as refused:
                status = form_refusal(refused)
                add_domain_errors(form, refused)
            else:
                return redirect("export", pk=job.pk)
        else:
            status = 400
    else:
        wanted = ascii_int(request.GET.get("dot", ""))
        form = DataExportForm(initial={"round": wanted} if wanted else None)
    recent = ExportJob.objects.filter(requested_by_id=request.user.pk, kind=DATA)[:10]
    context = {"form": form, "recent": recent}
    return render(request, "web/exports/data.html", context, status=status)


def _variant(request: HttpRequest) -> str:
    """Display copies unless originals are asked for, which only Internal Affairs gets."""
    if request.GET.get("ban", "") != "goc":
        return DISPLAY
    if not policies.may_export_originals(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được tải ảnh gốc (có vị trí GPS)."))
    return ORIGINAL


def _zip_response(chunks: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=ZIP_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def round_evidence(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every photo and scan of a round, as a ZIP streamed while it is read."""
    round_ = get_object_or_404(Round, pk=pk)
    if not policies.may_export_evidence(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được tải ảnh minh chứng của đợt."))
    variant = _variant(request)
    items = evidence_items(policies.photos_for(request.user), round=round_)
    suffix = "-goc" if variant == ORIGINAL else ""
    return _zip_response(archive_chunks(items, variant=variant), f"minh-chung-dot-{pk}{suffix}.zip")


@login_required
def unit_evidence(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """Every photo and scan of a unit, over all rounds (or one: ?dot=<id>), streamed."""
    unit: OrgUnit = visible_unit(request.user, code)
    if not policies.may_export_evidence(request.user, unit):
        raise PermissionDenied(_("Bạn không được tải ảnh minh chứng của đơn vị này."))
    variant = _variant(request)
    wanted = ascii_int(request.GET.get("dot", ""))
    round_ = get_object_or_404(Round, pk=wanted) if request.GET.get("dot") else None
    items = evidence_items(policies.photos_for(request.user), round=round_, unit=unit)
    suffix = "-goc" if variant == ORIGINAL else ""
    filename = f"minh-chung-{unit.pk}{f'-dot-{wanted}' if round_ else ''}{suffix}.zip"
    return _zip_response(archive_chunks(items, variant=variant), filename)
