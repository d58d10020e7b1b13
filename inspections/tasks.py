"""Background work on huey (found by `manage.py run_huey`): delivery, the tick, exports.

Tasks carry no state of their own: each reads what to do from the database, so a message
lost by the queue (Redis restarted without its data) costs a delay, never a notification.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from inspections.services.delivery import deliver_due
from inspections.services.exports import export_run, exports_purge
from inspections.services.records import record_prepare
from inspections.services.reminders import tick
from inspections.services.retention import retention_apply

log = logging.getLogger(__name__)


@db_task()
def deliver() -> None:
    """Send what is due (workers claim rows, so several may run at once); wake up again
    for the earliest retry."""
    report = deliver_due()
    if report.errors:
        log.warning(
            "delivery: %s sent, %s to retry, %s failed", report.sent, report.retrying, report.failed
        )
    if report.next_retry_at is not None and report.retrying:
        deliver.schedule(eta=report.next_retry_at)


@db_periodic_task(crontab(minute="0"))
def hourly() -> None:
    """Every hour (UTC), decided in local time: reminders, digests, old exports; then the
    outbox, so that anything a lost queue message left behind goes out within the hour."""
    report = tick()
    log.info("tick: %s reminders, %s digests", report.reminders, report.digests)
    exports_purge()
    deliver_due()


@db_periodic_task(crontab(minute="30", hour="19"))
def daily() -> None:
    """Every day at 02:30 in Vietnam (19:30 UTC): the evidence retention rules."""
    run = retention_apply()
    log.info(
        "retention: %s originals deleted, %s positions cleared, %s GPS blocks removed",
        run.originals_deleted,
        run.positions_cleared,
        run.gps_removed,
    )


@db_task()
def forget_positions(round_id: int) -> None:
    """After a round is published: its photos' positions go (unless kept for some days)."""
    from inspections.models import Round

    round_ = Round.objects.filter(pk=round_id, status=Round.Status.PUBLISHED).first()
    if round_ is not None:
        retention_apply(round=round_)


@db_task()
def run_export(job_id: str) -> None:
    export_run(job_id=job_id)


@db_task()
def make_record(inspection_id: str, revision: int) -> None:
    """Render an approved revision's biên bản so that its first download is fast."""
    record_prepare(inspection_id=inspection_id, revision=revision)
