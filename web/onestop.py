"""The one-stop export per round (D1, D3): Internal Affairs uploads it; its template."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inspections import policies
from inspections.errors import DomainError
from inspections.imports import MAX_BYTES
from inspections.models import OneStopImport, Round
from inspections.onestop_workbook import headers, template_workbook
from inspections.services.onestop import onestop_import
from web.errors import form_refusal, message_of
from web.fields import IdChoiceField


class OneStopForm(forms.Form):
    round = IdChoiceField(queryset=Round.objects.none(), label=_("Đợt kiểm tra"))
    file = forms.FileField(label=_("Tệp xuất từ hệ thống một cửa (.xlsx)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["round"]
        assert isinstance(field, IdChoiceField)
        field.queryset = Round.objects.exclude(status=Round.Status.PUBLISHED).order_by("-starts_on")


@login_required
@require_http_methods(["GET", "POST"])
def onestop_page(request: HttpRequest) -> HttpResponse:
    if not policies.may_import_onestop(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được nhập số liệu một cửa."))
    form = OneStopForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status, problems = 200, []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                source = onestop_import(
                    by=policies.acting(request.user),
                    round=form.cleaned_data["round"],
                    data=bytes(upload.read(MAX_BYTES + 1)),
                    file_name=str(upload.name),
                )
            except DomainError as error:
                status = form_refusal(error)
                problems = error.fields.get("file", [])
                form.add_error(None, error.message if problems else message_of(error))
            else:
                messages.success(
                    request,
                    _("Đã nhập %(n)s hồ sơ cho %(round)s.")
                    % {"n": source.rows, "round": source.round.name},
                )
                return redirect("onestop")
    imports = OneStopImport.objects.select_related("round", "uploaded_by").order_by(
        "-round__starts_on"
    )
    context = {"form": form, "problems": problems, "imports": imports, "headers": headers()}
    return render(request, "web/surveys/onestop.html", context, status=status)


@login_required
def onestop_template(request: HttpRequest) -> HttpResponse:
    if not policies.may_import_onestop(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được nhập số liệu một cửa."))
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-so-lieu-mot-cua.xlsx"'
    return response
