"""Catalogue editions for Internal Affairs: a new draft from a published edition, its rules,
sections and criteria on forms, the checklist in preview, the diff, publishing, a workbook.

Every write goes through `services.drafts`, `services.editions` or `services.catalogue`; a
published edition is read-only here (its edit pages answer 409) as in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import policies
from inspections.catalogue_workbook import criteria_workbook
from inspections.errors import DomainError, Problem
from inspections.imports import MAX_BYTES
from inspections.models import Criterion, ModelVersion
from inspections.policies import Viewer
from inspections.selectors import edition_diff, edition_list, edition_outline, edition_preview
from inspections.services import (
    catalogue_row_delete,
    classification_save,
    criteria_import,
    criterion_edit,
    sections_save,
    version_draft_delete,
    version_draft_save,
    version_new_draft,
    version_publish,
)
from inspections.services.catalogue import criterion_problems, version_problem_fields
from web.edition_forms import (
    BandFormSet,
    ClassificationForm,
    CriterionForm,
    LevelFormSet,
    SectionFormSet,
    SettingsForm,
    band_initial,
)
from web.errors import form_refusal, message_of
from web.rounds import add_domain_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where a publishing problem lives: its label on the page.
FIELD_LABELS = {
    "levels": gettext_lazy("Mức xếp loại"),
    "critical_cap": gettext_lazy("Xếp loại tối đa khi trượt tiêu chí ★"),
    "criteria": gettext_lazy("Tiêu chí"),
    "max_points": gettext_lazy("Điểm tối đa"),
    "na_allowed": gettext_lazy("Cho phép “không áp dụng”"),
    "bands": gettext_lazy("Khung điểm"),
}


def _require(user: Viewer) -> None:
    if not policies.may_configure(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được xem và sửa mô hình thi đua."))


def _edition(pk: int) -> ModelVersion:
    rows = ModelVersion.objects.select_related("model", "based_on")
    return get_object_or_404(rows, pk=pk)


def _draft(pk: int) -> ModelVersion:
    version = _edition(pk)
    if version.is_published:
        raise DomainError(
            _("Phiên bản đã ban hành chỉ để xem. Hãy tạo một bản nháp mới để sửa."),
            problem=Problem.WRONG_STATE,
            code="version_frozen",
        )
    return version


@dataclass(frozen=True)
class Located:
    """One publishing problem, where it is: a label, its messages and the form to fix it."""

    label: str
    messages: list[str]
    url: str


def _located(version: ModelVersion, fields: dict[str, list[str]]) -> list[Located]:
    ids = dict(version.criteria.values_list("code", "pk"))
    found = []
    for key, problems in fields.items():
        code, _dot, name = key.rpartition(".")
        if code in ids:
            url = reverse("edition-criterion", args=[version.pk, ids[code]]) + f"#f-{name}"
            label = f"{code} — {FIELD_LABELS.get(name, name)}"
        elif key in ("levels", "critical_cap"):
            url = reverse("edition-classification", args=[version.pk]) + f"#f-{key}"
            label = str(FIELD_LABELS[key])
        else:
            url = reverse("edition", args=[version.pk])
            label = str(FIELD_LABELS.get(key, key))
        found.append(Located(label=label, messages=problems, url=url))
    return found


@login_required
def edition_list_page(request: HttpRequest) -> HttpResponse:
    _require(request.user)
    return render(request, "web/editions/list.html", {"models": edition_list()})


@login_required
@require_POST
def edition_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    draft = version_new_draft(source=_edition(pk), by=policies.acting(request.user))
    messages.success(request, _("Đã tạo bản nháp phiên bản %(number)s.") % {"number": draft.number})
    return redirect("edition", pk=draft.pk)


def _edition_page(
    request: HttpRequest,
    version: ModelVersion,
    *,
    form: SettingsForm | None = None,
    import_error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "version": version,
        "outline": edition_outline(version),
        "is_draft": not version.is_published,
    }
    if not version.is_published:
        context["form"] = form or SettingsForm(
            initial={
                "title": version.title,
                "title_en": version.title_en,
                "action_due_days": version.action_due_days,
            }
        )
        context["problems"] = _located(version, version_problem_fields(version))
    if import_error is not None:
        context["import_error"] = import_error.message
        context["import_problems"] = import_error.fields
    return render(request, "web/editions/edition.html", context, status=status)


@login_required
def edition_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    if request.method != "POST":
        return _edition_page(request, _edition(pk))
    version = _draft(pk)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _edition_page(request, version, form=form, status=400)
    try:
        version_draft_save(
            by=policies.acting(request.user),
            version=version,
            model=version.model,
            settings=form.cleaned_data,
        )
    except DomainError as refused:
        status = form_refusal(refused)
        add_domain_errors(form, refused)
        return _edition_page(request, version, form=form, status=status)
    messages.success(request, _("Đã lưu thông tin phiên bản."))
    return redirect("edition", pk=version.pk)


@login_required
def edition_classification(request: HttpRequest, pk: int) -> HttpResponse:
    """The classes as rows (code, names, lowest score) and the rules around them."""
    _require(request.user)
    version = _draft(pk)
    initial_levels: list[dict[str, Any]] = [
        {
            "code": level.code,
            "name": level.name,
            "name_en": level.name_en,
            "minimum_score": level.minimum_score,
        }
        for level in version.levels.order_by("order")
    ]
    data = request.POST if request.method == "POST" else None
    levels = LevelFormSet(data, prefix="levels", initial=initial_levels)
    form = ClassificationForm(
        data,
        version=version,
        initial={
            "critical_cap": version.critical_cap,
            "top_class_section_minimum": version.top_class_section_minimum,
            "applicable_floor": version.applicable_floor,
        },
    )
    if data is not None:
        # A cap may name a class added in the same form.
        cap = form.fields["critical_cap"]
        posted = [
            (f.cleaned_data["code"], f.cleaned_data["name"])
            for f in levels.forms
            if f.is_valid() and f.cleaned_data.get("code")
        ]
        cap.choices = [*cap.choices, *posted]  # type: ignore[attr-defined]
    status = 200
    if data is not None:
        status = 400
        if levels.is_valid() and form.is_valid():
            try:
                classification_save(
                    by=policies.acting(request.user),
                    version=version,
                    levels=levels.levels(),
                    settings=form.cleaned_data,
                )
            except DomainError as refused:
                status = form_refusal(refused)
                add_domain_errors(form, refused)
            else:
                messages.success(request, _("Đã lưu xếp loại."))
                return redirect("edition", pk=version.pk)
    context = {
        "version": version,
        "levels": levels,
        "form": form,
        "problems": {
            k: v
            for k, v in version_problem_fields(version).items()
            if k in ("levels", "critical_cap")
        },
    }
    return render(request, "web/editions/classification.html", context, status=status)


@login_required
def edition_sections(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    version = _draft(pk)
    initial = [
        {"id": s.pk, "code": s.code, "title": s.title, "title_en": s.title_en, "order": s.order}
        for s in version.sections.order_by("order", "code")
    ]
    data = request.POST if request.method == "POST" else None
    sections = SectionFormSet(data, prefix="sections", initial=initial)
    status, error = 200, ""
    if data is not None:
        status = 400
        if sections.is_valid():
            try:
                sections_save(
                    by=policies.acting(request.user), version=version, rows=sections.rows()
                )
            except DomainError as refused:
                status = form_refusal(refused)
                error = message_of(refused)
            else:
                messages.success(request, _("Đã lưu các nhóm tiêu chí."))
                return redirect("edition", pk=version.pk)
    context = {"version": version, "sections": sections, "error": error}
    return render(request, "web/editions/sections.html", context, status=status)


def _criterion_page(
    request: HttpRequest, version: ModelVersion, criterion: Criterion | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if criterion is not None:
        initial = {
            name: getattr(criterion, name)
            for name in (
                "code",
                "order",
                "text",
                "text_en",
                "guidance",
                "guidance_en",
                "answer_type",
                "max_points",
                "evidence",
                "critical",
                "na_allowed",
            )
        }
        initial["section"] = criterion.section_id
    data = request.POST if request.method == "POST" else None
    form = CriterionForm(data, version=version, initial=initial)
    bands = BandFormSet(
        data, prefix="bands", initial=band_initial(criterion.bands) if criterion else []
    )
    status = 200
    if data is not None:
        status = 400
        if form.is_valid() and bands.is_valid():
            values = {**form.cleaned_data, "bands": bands.bands()}
            values["order"] = values.get("order") or 0
            try:
                saved = criterion_edit(
                    by=policies.acting(request.user),
                    version=version,
                    criterion=criterion,
                    values=values,
                )
            except DomainError as refused:
                status = form_refusal(refused)
                add_domain_errors(form, refused)
            else:
                messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": saved.code})
                return redirect(reverse("edition", args=[version.pk]) + f"#c-{saved.code}")
    warnings = criterion_problems(criterion) if criterion is not None and data is None else {}
    context = {
        "version": version,
        "criterion": criterion,
        "form": form,
        "bands": bands,
        "warnings": warnings,
    }
    return render(request, "web/editions/criterion.html", context, status=status)


@login_required
def edition_criterion(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    _require(request.user)
    version = _draft(pk)
    criterion = get_object_or_404(Criterion, pk=criterion_id, version=version)
    return _criterion_page(request, version, criterion)


@login_required
def edition_criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    return _criterion_page(request, _draft(pk), None)


@login_required
@require_POST
def edition_criterion_delete(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    _require(request.user)
    version = _draft(pk)
    criterion = get_object_or_404(Criterion, pk=criterion_id, version=version)
    catalogue_row_delete(by=policies.acting(request.user), row=criterion)
    messages.success(request, _("Đã xóa tiêu chí %(code)s.") % {"code": criterion.code})
    return redirect("edition", pk=version.pk)


@login_required
def edition_preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist as an inspector meets it, its controls disabled: nothing can be saved."""
    _require(request.user)
    version = _edition(pk)
    blocks = edition_preview(version)
    context = {
        "version": version,
        "sections": blocks,
        "total": sum(len(block.rows) for block in blocks),
    }
    return render(request, "web/editions/preview.html", context)


@login_required
def edition_diff_page(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    return render(request, "web/editions/diff.html", {"diff": edition_diff(_edition(pk))})


@login_required
def edition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Every check of the service, each problem linked to the field concerned."""
    _require(request.user)
    version = _draft(pk)
    status = 200
    fields = version_problem_fields(version)
    if request.method == "POST":
        try:
            version_publish(version=version, by=policies.acting(request.user))
        except DomainError as refused:
            status = form_refusal(refused)
            fields = refused.fields
        else:
            messages.success(
                request,
                _("Đã ban hành phiên bản %(number)s: từ nay có thể mở đợt kiểm tra theo nó.")
                % {"number": version.number},
            )
            return redirect("edition", pk=version.pk)
    context = {"version": version, "problems": _located(version, fields)}
    return render(request, "web/editions/publish.html", context, status=status)


@login_required
def edition_export(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    version = _edition(pk)
    response = HttpResponse(criteria_workbook(version), content_type=XLSX)
    name = f"tieu-chi-{slugify(version.model.code)}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def edition_import(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    version = _draft(pk)
    upload = request.FILES.get("file")
    if upload is None:
        refused = DomainError(
            _("Hãy chọn tệp .xlsx đã xuất từ trang này."), fields={"file": [_("Chưa chọn tệp.")]}
        )
        return _edition_page(request, version, import_error=refused, status=400)
    try:
        report = criteria_import(
            by=policies.acting(request.user), version=version, data=upload.read(MAX_BYTES + 1)
        )
    except DomainError as refused:
        status = form_refusal(refused)
        return _edition_page(request, version, import_error=refused, status=status)
    messages.success(
        request,
        _("Đã nhập: %(c)s tiêu chí mới, %(u)s tiêu chí sửa, %(r)s tiêu chí bỏ.")
        % {"c": len(report.created), "u": len(report.updated), "r": len(report.removed)},
    )
    return redirect("edition", pk=version.pk)


@login_required
@require_POST
def edition_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    version = _draft(pk)
    version_draft_delete(by=policies.acting(request.user), version=version)
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("editions")
