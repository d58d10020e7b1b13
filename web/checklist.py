"""The checklist of one inspection: one form per criterion, the review step, the result.

Every write goes through the services; a refusal re-shows the page with the error and the
values that were posted, so nothing the inspector entered is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections import policies, services
from inspections.answers import FIELD, posted
from inspections.errors import DomainError
from inspections.models import Criterion, EvidencePhoto, Inspection
from inspections.photos import max_bytes
from inspections.selectors import Checklist, CriterionRow, build_checklist, visible_inspection
from web.criterion_html import CriterionWriter
from web.errors import form_refusal, message_of
from web.fragments import (
    checklist_words,
    criterion_parts,
    page_dialogs,
    page_urls,
    page_words,
)


def _to_place(inspection: Inspection, code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('checklist', args=[inspection.pk])}#c-{code}")


def _render_checklist(
    request: HttpRequest, checklist: Checklist, status: int = 200
) -> HttpResponse:
    inspection = checklist.inspection
    parts = criterion_parts(inspection.round.version, (row.criterion for row in checklist.rows))
    writer = CriterionWriter(request, inspection, checklist_words(), page_urls(inspection))
    context = {
        "checklist": checklist,
        # Each section with its criteria's HTML: the parts cached per version and language
        # around this inspection's values (web/criterion_html.py).
        "sections": [
            (block, [writer.html(row, parts[row.code]) for row in block.rows])
            for block in checklist.sections
        ],
        "inspection": inspection,
        "editable": policies.may_edit_inspection(request.user, inspection),
        # Told before anyone types: the round no longer takes changes to this inspection.
        "round_locked": not policies.round_takes_changes(inspection),
        "api": reverse("api:inspection", args=[inspection.pk]),
        "page_words": page_words(),
        "dialogs": page_dialogs(),  # web/_viewer.html and web/_annotate.html, kept
    }
    return render(request, "web/checklist.html", context, status=status)


@login_required
def checklist(request: HttpRequest, pk: Any) -> HttpResponse:
    inspection = visible_inspection(request.user, pk)
    if not policies.may_edit_inspection(request.user, inspection):
        return redirect("result", pk=inspection.pk)
    return _render_checklist(request, build_checklist(inspection))


@login_required
@require_POST
def answer(request: HttpRequest, pk: Any, code: str) -> HttpResponse:
    data = request.POST
    note = data.get("note", "")
    flagged = bool(data.get("flagged"))
    raw = posted(data)  # parsed once, by the service, with the API's own messages
    files = [*request.FILES.getlist("camera"), *request.FILES.getlist("gallery")]
    try:
        # The same answer again writes nothing: the service notices (the form posts every field).
        services.answer_set(
            by=policies.acting(request.user),
            inspection=pk,
            criterion_code=code,
            value=raw,
            note=note,
            flagged=flagged,
        )
        for upload in files:
            services.photo_attach(
                by=policies.acting(request.user),
                inspection=visible_inspection(request.user, pk),
                data=bytes(upload.read(max_bytes() + 1)),
                criterion_code=code,
            )
    except DomainError as error:
        status = form_refusal(error)
        page = build_checklist(visible_inspection(request.user, pk))
        row = page.row(code)
        if row is not None:  # the posted values, shown again beside the error
            row.value, row.note, row.flagged = raw.strip(), note, flagged
            # A value that does not fit: its field message alone, as the API and JavaScript say.
            row.error = " ".join(error.fields.get(FIELD, [])) or message_of(error)
            if files and "file" in error.fields:
                row.error += " " + _("Hãy chọn lại ảnh.")
        return _render_checklist(request, page, status=status)
    return HttpResponseRedirect(f"{reverse('checklist', args=[pk])}#c-{code}")


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request: HttpRequest, pk: Any, photo_id: Any) -> HttpResponse:
    """GET asks first (the page without JavaScript; the checklist's script asks in a dialog)."""
    inspection = visible_inspection(request.user, pk)
    photo = (
        EvidencePhoto.objects.filter(inspection=inspection, pk=photo_id)
        .select_related("criterion", "inspection")
        .first()
    )
    if photo is None:
        raise Http404(_("Không tìm thấy ảnh."))
    code = photo.criterion.code if photo.criterion else ""
    if request.method == "GET":
        if not policies.may_edit_inspection(request.user, inspection):
            return redirect("result", pk=inspection.pk)
        context = {"inspection": inspection, "photo": photo, "code": code}
        return render(request, "web/photo_delete.html", context)
    try:
        services.photo_remove(by=policies.acting(request.user), photo=photo)
    except DomainError as error:
        form_refusal(error)
        messages.error(request, message_of(error))
    return _to_place(inspection, code)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: Any) -> HttpResponse:
    """Before submit: every unanswered criterion, N/A without its note, missing evidence."""
    inspection = visible_inspection(request.user, pk)
    if not policies.may_edit_inspection(request.user, inspection):
        return redirect("result", pk=inspection.pk)
    status, error = 200, ""
    if request.method == "POST":
        try:
            services.inspection_submit(by=policies.acting(request.user), inspection=inspection)
        except DomainError as refused:
            status, error = form_refusal(refused), refused.message
        else:
            messages.success(request, _("Đã nộp phiếu."))
            return redirect("result", pk=inspection.pk)
    problems = services.submit_problems(inspection)
    criteria = {
        c.code: c.display_text
        for c in Criterion.objects.filter(
            version_id=inspection.round.version_id, code__in=list(problems)
        )
    }
    rows = [(code, criteria.get(code, ""), found) for code, found in problems.items()]
    context = {"inspection": inspection, "problems": rows, "error": error}
    return render(request, "web/review.html", context, status=status)


@login_required
def result(request: HttpRequest, pk: Any) -> HttpResponse:
    """Read-only: the score per section and criterion, the class, ★ failures and photos."""
    inspection = visible_inspection(request.user, pk)
    page = build_checklist(inspection, with_levels=True)
    rows: list[CriterionRow] = page.rows
    context = {
        "checklist": page,
        "inspection": inspection,
        "editable": policies.may_edit_inspection(request.user, inspection),
        "failures": [row for row in rows if row.critical_failed],
        "has_record": policies.has_record(inspection),
        "may_read_history": policies.may_read_history(request.user, inspection),
        "earlier_revisions": range(1, inspection.revision),
    }
    return render(request, "web/result.html", context)
