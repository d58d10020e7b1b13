"""Long exports as background work: started from a page, built by a worker, kept a while.

The person waits on the export's page (progress, then the file) and is notified when it is
ready; the file is deleted EXPORT_KEEP_HOURS after it was made.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from collections.abc import Sequence
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspections import data_exports, exports, notices, policies
from inspections.errors import DomainError, Problem
from inspections.models import ExportJob, Round
from inspections.policies import Actor
from inspections.selectors.exports import ExportScope
from inspections.selectors.rankings import ranking_for_round
from inspections.services.audit import record_event
from inspections.services.notifications import notify

log = logging.getLogger(__name__)

YEAR_RESULTS = "year_results"
DATA = "data"
# File names say what a data export holds: du-lieu-dot-12-ket-qua-tieu-chi.csv
_TABLE_SLUGS = {
    data_exports.ANSWERS: "ket-qua-tieu-chi",
    data_exports.INSPECTIONS: "phieu-kiem-tra",
    data_exports.ACTIONS: "yeu-cau-khac-phuc",
}


def export_years() -> list[int]:
    """Years that have a round, newest first."""
    return sorted({d.year for d in Round.objects.values_list("ends_on", flat=True)}, reverse=True)


@transaction.atomic
def export_start(*, by: Actor, year: int) -> ExportJob:
    """Queue the year's results workbook; the worker builds it after the commit."""
    if not policies.may_read_rounds(by):
        raise DomainError(
            _("Chỉ Phòng Nội vụ và lãnh đạo được xuất kết quả năm."), problem=Problem.FORBIDDEN
        )
    if year not in export_years():
        raise DomainError(
            _("Năm %(year)s không có đợt kiểm tra nào.") % {"year": year},
            fields={"year": [_("Hãy chọn một năm có đợt kiểm tra.")]},
        )
    job = ExportJob.objects.create(
        kind=YEAR_RESULTS,
        # The file speaks the language of the page it was asked from.
        params={"year": year, "language": get_language() or settings.LANGUAGE_CODE},
        requested_by=by,
        filename=f"ket-qua-nam-{year}.xlsx",
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


@transaction.atomic
def data_export_start(
    *, by: Actor, scope: ExportScope, tables: Sequence[str], kind: str
) -> ExportJob:
    """Queue a full data export of a round or a year; the worker writes it after the commit."""
    if not policies.may_export_data(by):
        raise DomainError(
            _("Chỉ Phòng Nội vụ và lãnh đạo được xuất toàn bộ dữ liệu."),
            problem=Problem.FORBIDDEN,
        )
    problems: dict[str, list[str]] = {}
    if kind not in data_exports.FORMATS:
        problems["format"] = [_("Hãy chọn XLSX hoặc CSV.")]
    if not tables or any(t not in data_exports.TABLES for t in tables):
        problems["tables"] = [_("Hãy chọn bảng dữ liệu cần xuất.")]
    elif kind == "csv" and len(tables) != 1:
        problems["tables"] = [_("Tệp CSV chỉ chứa một bảng: hãy chọn một bảng, hoặc chọn XLSX.")]
    if scope.year is not None and scope.year not in export_years():
        problems["year"] = [_("Hãy chọn một năm có đợt kiểm tra.")]
    if problems:
        raise DomainError(_("Chưa tạo được tệp xuất."), fields=problems)
    what = "tat-ca" if len(tables) > 1 else _TABLE_SLUGS[tables[0]]
    job = ExportJob.objects.create(
        kind=DATA,
        params={
            "round": scope.round.pk if scope.round is not None else None,
            "year": scope.year,
            "tables": list(tables),
            "format": kind,
            "language": get_language() or settings.LANGUAGE_CODE,
        },
        requested_by=by,
        filename=f"du-lieu-{scope.slug}-{what}.{kind}",
    )
    record_event(actor=by, action="data_export_started", target=job, **job.params)
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ExportJob) -> None:
    from inspections.tasks import run_export  # the tasks call the services: imported late

    try:
        run_export(str(job.pk))
    except Exception:  # the hourly tick starts what the queue could not take
        log.warning("task queue unreachable: export %s left for the hourly tick", job.pk)


def _progress(job: ExportJob, value: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=min(value, 100))


def export_run(*, job_id: str) -> ExportJob | None:
    """Build the file of a queued export (one worker takes it), then tell the person."""
    taken = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, progress=1
    )
    job = ExportJob.objects.filter(pk=job_id).select_related("requested_by").first()
    if not taken or job is None:
        return job  # gone, or another worker has it
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            name = _build(job)
    except Exception as exc:  # a failed export is shown on its page, never retried blindly
        log.exception("export %s failed", job.pk)
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
            _tell(job, "export_failed")
        return job
    now = timezone.now()
    with transaction.atomic():
        job.file.name = name
        job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, now
        job.expires_at = now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
        job.save(update_fields=["file", "status", "progress", "finished_at", "expires_at"])
        _tell(job, "export_ready")
    return job


def _tell(job: ExportJob, kind: str) -> None:
    expires = timezone.localtime(job.expires_at).date().isoformat() if job.expires_at else ""
    notify(
        recipients=[job.requested_by],
        kind=kind,
        key=f"{kind}:{job.pk}",
        data={
            "filename": job.filename,
            "expires_on": expires,
            "page": notices.page("export", job.pk),
        },
    )


def _build(job: ExportJob) -> str:
    """Write the job's file to storage; the name it was stored under."""
    path = f"exports/{job.pk}/{job.filename}"
    if job.kind == DATA:
        with tempfile.TemporaryFile() as handle:  # streamed to storage in chunks after
            _build_data(job, handle)
            handle.seek(0)
            return default_storage.save(path, File(handle, name=job.filename))
    return default_storage.save(path, ContentFile(_build_year_results(job)))


def _build_data(job: ExportJob, handle: IO[bytes]) -> None:
    params = job.params
    round_ = Round.objects.filter(pk=params.get("round")).first() if params.get("round") else None
    scope = ExportScope(round=round_) if round_ is not None else ExportScope(year=params["year"])
    tables = list(params["tables"])
    shown = [0]

    def progress(index: int, done: int, total: int) -> None:
        # 1–95 % across the tables; the database is told only when the figure moves.
        share = (index + min(done / total, 1.0) if total else index + 1) / len(tables)
        value = 1 + int(94 * share)
        if value > shown[0]:
            shown[0] = value
            _progress(job, value)

    data_exports.write_file(handle, scope, tables=tables, kind=params["format"], progress=progress)


def _build_year_results(job: ExportJob) -> bytes:
    year = int(job.params["year"])
    rounds = list(
        Round.objects.filter(ends_on__year=year).select_related("version").order_by("ends_on", "pk")
    )
    data = []
    for index, round_ in enumerate(rounds, 1):
        groups = ranking_for_round(round=round_)
        data.append((round_.name, [g.as_json() for g in groups]))
        _progress(job, 5 + 85 * index // max(len(rounds), 1))
    return exports.year_results_workbook(year=year, rounds=data)


def exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files kept past their time; the job stays, marked expired."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
        count += 1
    # A queued export whose wake-up the queue lost is started again.
    stale = now - datetime.timedelta(minutes=10)
    for job in ExportJob.objects.filter(status=ExportJob.Status.QUEUED, created_at__lte=stale):
        _enqueue(job)
    return count
