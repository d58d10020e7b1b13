"""Long exports: start one, wait on its page (progress, then the file), download it."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspections import policies, services
from inspections.errors import DomainError
from inspections.models import ExportJob
from inspections.numbers import ascii_int
from inspections.policies import Viewer
from web.errors import form_refusal, message_of
from web.rounds import require_reader


def own_export(user: Viewer, pk: uuid.UUID) -> ExportJob:
    found = ExportJob.objects.filter(pk=pk, requested_by_id=getattr(user, "pk", None)).first()
    if found is None:
        raise Http404(_("Không tìm thấy tệp xuất."))
    return found


@login_required
def year_results(request: HttpRequest) -> HttpResponse:
    """Pick a year; the workbook is built in the background."""
    require_reader(request.user)
    years = services.export_years()
    error, status = "", 200
    if request.method == "POST":
        raw = request.POST.get("year", "")
        year = ascii_int(raw, minimum=1000, maximum=9999) or 0
        try:
            job = services.export_start(by=policies.acting(request.user), year=year)
        except DomainError as refused:
            status = form_refusal(refused)
            error = message_of(refused)
        else:
            return redirect("export", pk=job.pk)
    recent = ExportJob.objects.filter(requested_by_id=request.user.pk)[:10]
    context = {"years": years, "error": error, "recent": recent}
    return render(request, "web/exports/year.html", context, status=status)


@login_required
def export_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = own_export(request.user, pk)
    waiting = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    return render(request, "web/exports/detail.html", {"job": job, "waiting": waiting})


@login_required
def export_file(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    job = own_export(request.user, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("Tệp không còn hoặc chưa sẵn sàng."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
