"""Rounds for Internal Affairs: list, create, open/close/publish, assign, progress, ranking.

Leaders read every page and change nothing: each POST is refused with a 403 by the service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import policies, selectors, services
from inspections.documents.report import round_report_pdf
from inspections.errors import DomainError
from inspections.exports import ranking_csv_chunks, ranking_file
from inspections.models import ModelVersion, OrgUnit, RoleKind, Round, display_name
from inspections.policies import Viewer
from inspections.selectors.filters import AssignmentFilter, RoundFilter
from inspections.spreadsheets import CSV_TYPE, XLSX_TYPE
from web import lists
from web.errors import form_refusal, message_of
from web.fields import (
    DayMonthYearField,
    IdChoiceField,
    IdMultipleChoiceField,
    OneChoiceSelected,
)


def require_reader(user: Viewer) -> None:
    """Round pages are for Internal Affairs and leaders (who read only)."""
    if not policies.may_read_rounds(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem trang này."))


def refuse_leader(user: Viewer) -> None:
    if not policies.may_manage_movement(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được thực hiện thao tác này."))


class RoundForm(OneChoiceSelected):
    name = forms.CharField(label=gettext_lazy("Tên đợt"), max_length=200)
    version = IdChoiceField(
        label=gettext_lazy("Phiên bản mô hình"),
        queryset=ModelVersion.objects.filter(status=ModelVersion.Status.PUBLISHED),
    )
    starts_on = DayMonthYearField(label=gettext_lazy("Ngày bắt đầu"))
    ends_on = DayMonthYearField(label=gettext_lazy("Ngày kết thúc"))
    open_now = forms.BooleanField(label=gettext_lazy("Mở ngay"), required=False)


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """People by "Họ và tên", in Vietnamese order (given name first)."""

    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class AssignForm(OneChoiceSelected):
    inspector = PersonChoiceField(
        label=gettext_lazy("Cán bộ kiểm tra"),
        queryset=get_user_model()
        .objects.filter(roles__kind=RoleKind.INSPECTOR, is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("profile__sort_key", "username"),
    )
    units = IdMultipleChoiceField(
        label=gettext_lazy("Đơn vị"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True, group__isnull=False),
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = DayMonthYearField(
        label=gettext_lazy("Hạn (để trống: ngày kết thúc đợt)"), required=False
    )


def add_domain_errors(form: forms.Form, error: DomainError) -> None:
    """A refusal's per-field messages shown beside their fields; the rest on top."""
    placed = False
    for name, found in error.fields.items():
        if name in form.fields:
            for text in found:
                form.add_error(name, str(text))
            placed = True
    if not placed:
        form.add_error(None, message_of(error))
    else:
        form.add_error(None, error.message)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = RoundForm(request.POST or None)
    status = 200
    if request.method == "POST":
        refuse_leader(request.user)
        if form.is_valid():
            try:
                made = services.round_create(by=policies.acting(request.user), **form.cleaned_data)
            except DomainError as refused:
                status = form_refusal(refused)
                add_domain_errors(form, refused)
            else:
                messages.success(request, _("Đã tạo đợt kiểm tra."))
                return redirect("round", pk=made.pk)
        else:
            status = 400
    rounds = list(selectors.round_list(query=request.GET))
    context = {
        "rounds": rounds,
        "filters": lists.filter_form(RoundFilter, request.GET),
        "filtered": lists.is_filtered(RoundFilter, request.GET),
        "form": form,
        "may_edit": policies.may_manage_movement(request.user),
    }
    return render(request, "web/rounds/list.html", context, status=status)


def _detail(
    request: HttpRequest, round_: Round, *, assign_form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    # The counts are the whole round's; the table shows what the filters keep.
    whole = selectors.progress_board(round_)
    filtered = lists.is_filtered(AssignmentFilter, request.GET)
    board = (
        selectors.progress_board(round_, query=request.GET)
        if filtered or request.GET.get("sort")
        else whole
    )
    context = {
        "round": round_,
        "board": board,
        "counts": selectors.board_counts(whole),
        "late_count": sum(row.late for row in whole),
        "filters": lists.filter_form(
            AssignmentFilter,
            request.GET,
            only=["q", "state", "late", "group", "inspector", "sort"],
            pickers={"group": lists.group_choices(), "inspector": lists.inspector_choices()},
        ),
        "filtered": filtered,
        "assign_form": assign_form or AssignForm(),
        "may_edit": policies.may_manage_movement(request.user),
        "may_export_data": policies.may_export_data(request.user),
        "may_export_originals": policies.may_export_originals(request.user),
        "snapshots": list(round_.snapshots.order_by("-number")),
    }
    return render(request, "web/rounds/detail.html", context, status=status)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request.user)
    return _detail(request, get_object_or_404(Round.objects.select_related("version"), pk=pk))


# Locking and publishing ask for a confirmation first: web/closing.py.
_TRANSITIONS = {
    "mo": (services.round_open, gettext_lazy("Đã mở đợt kiểm tra.")),
}


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    require_reader(request.user)
    round_ = get_object_or_404(Round, pk=pk)
    try:
        if step in _TRANSITIONS:
            service, text = _TRANSITIONS[step]
            service(round=round_, by=policies.acting(request.user))
            done = str(text)
        else:
            raise Http404(_("Không có thao tác này."))
    except DomainError as refused:
        status = form_refusal(refused)
        messages.error(request, message_of(refused))
        return _detail(request, round_, status=status)
    messages.success(request, done)
    return redirect("round", pk=round_.pk)


@login_required
@require_POST
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request.user)
    refuse_leader(request.user)
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _detail(request, round_, assign_form=form, status=400)
    try:
        made = services.assignments_create(
            by=policies.acting(request.user), round=round_, **form.cleaned_data
        )
    except DomainError as refused:
        status = form_refusal(refused)
        add_domain_errors(form, refused)
        return _detail(request, round_, assign_form=form, status=status)
    messages.success(request, _("Đã phân công %(n)s đơn vị.") % {"n": len(made)})
    return redirect("round", pk=round_.pk)


def round_info(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "name": round_.name,
        "status": round_.status,
        "starts_on": round_.starts_on.isoformat(),
        "ends_on": round_.ends_on.isoformat(),
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "snapshot_number": selectors.publication_number(round_),
    }


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The ranking per group (the published snapshot once published); XLSX, CSV or print."""
    round_ = get_object_or_404(Round.objects.select_related("version"), pk=pk)
    published = round_.status == Round.Status.PUBLISHED
    if not policies.may_read_ranking(request.user, published=published):
        raise PermissionDenied(_("Bảng xếp hạng chỉ được xem sau khi công bố."))
    groups = selectors.ranking_for_round(round=round_)
    wanted = request.GET.get("format", "")
    stem = f"xep-hang-{round_.pk}"
    if wanted == "xlsx":  # written in constant memory to a temporary file, streamed from it
        workbook = ranking_file(round_info=round_info(round_), groups=groups)
        return FileResponse(
            workbook, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX_TYPE
        )
    if wanted == "csv":
        chunks = ranking_csv_chunks(round_info=round_info(round_), groups=groups)
        streamed = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
        streamed["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return streamed
    if wanted == "pdf":  # the official report of a published round
        pdf = round_report_pdf(round_)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="thong-bao-ket-qua-{round_.pk}.pdf"'
        )
        return response
    context = {
        "round": round_,
        "groups": groups,
        "openable": _openable_units(request.user, groups),
        "class_order": ", ".join(selectors.class_order_names(round_)),
        "approved": selectors.approved_by_unit(request.user, round_),
        "printing": wanted == "print",
        "today": timezone.localdate(),
    }
    return render(request, "web/rounds/ranking.html", context)


def _openable_units(user: Viewer, groups: list[selectors.GroupRanking]) -> set[int] | None:
    """Units whose page the user may open from the ranking; None means every unit."""
    if policies.sees_everything(user):
        return None
    listed = [row.unit_id for group in groups for row in group.rows]
    return set(policies.visible_units(user).filter(pk__in=listed).values_list("pk", flat=True))
