"""Units and people import for Internal Affairs: template, dry run, real run; merged units."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import policies
from inspections.errors import DomainError
from inspections.imports import MAX_BYTES, template_workbook
from inspections.models import OrgUnit
from inspections.policies import Viewer
from inspections.services.units import directory_import, directory_preview, unit_retire
from web.errors import form_refusal
from web.fields import DayMonthYearField
from web.rounds import add_domain_errors


class RetireForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị bị sáp nhập"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        to_field_name="code",
    )
    merged_into = forms.ModelChoiceField(
        label=gettext_lazy("Sáp nhập vào"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        to_field_name="code",
    )
    valid_to = DayMonthYearField(label=gettext_lazy("Hết hiệu lực từ ngày"))


def _require(user: Viewer) -> None:
    if not policies.may_manage_movement(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được nhập dữ liệu."))


@login_required
def template_file(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-du-lieu.xlsx"'
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    context: dict[str, Any] = {"retire_form": RetireForm()}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Hãy chọn tệp .xlsx theo mẫu.")
            return render(request, "web/people/import.html", context, status=400)
        data = upload.read(MAX_BYTES + 1)  # the workbook's own limit; over it, refused
        try:
            if request.POST.get("mode") == "real":
                report = directory_import(by=policies.acting(request.user), data=data)
                messages.success(
                    request,
                    _(
                        "Đã nhập: %(u)s đơn vị mới, %(uu)s đơn vị cập nhật, "
                        "%(p)s người dùng mới, %(r)s vai trò; đã gửi %(i)s thư mời."
                    )
                    % {
                        "u": report.units_created,
                        "uu": report.units_updated,
                        "p": report.people_created,
                        "r": report.roles_added,
                        "i": report.invitations_sent,
                    },
                )
                return redirect("people-import")
            context["plan"] = directory_preview(by=policies.acting(request.user), data=data)
        except DomainError as refused:
            status = form_refusal(refused)
            context["error"] = refused.message
            context["problems"] = refused.fields
    return render(request, "web/people/import.html", context, status=status)


@login_required
def retire(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    form = RetireForm(request.POST or None)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            unit_retire(by=policies.acting(request.user), **form.cleaned_data)
        except DomainError as refused:
            status = form_refusal(refused)
            add_domain_errors(form, refused)
        else:
            messages.success(request, _("Đã ghi nhận việc sáp nhập đơn vị."))
            return redirect("people-import")
    return render(request, "web/people/import.html", {"retire_form": form}, status=status)
