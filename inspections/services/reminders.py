"""The hourly tick: reminders and digests decided in local time (Asia/Ho_Chi_Minh).

The queue ticks every hour in UTC; this module reads the local hour. Every reminder has a
key naming its day (a due date, a month), so a tick run twice, or late after a stopped
worker, sends nothing twice and forgets nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from inspections import notices
from inspections.models import (
    Assignment,
    Commitment,
    CorrectiveAction,
    EmailChoice,
    Inspection,
    Notification,
    OrgUnit,
    OutgoingEmail,
    RoleKind,
    Round,
)
from inspections.selectors.actions import OPEN_ACTION_STATES
from inspections.selectors.notifications import internal_affairs_people, office_people_of
from inspections.services.actions import action_facts
from inspections.services.notifications import message_id, notify, wake_after_commit

SOON = datetime.timedelta(days=3)


@dataclass
class TickReport:
    reminders: int = 0
    digests: int = 0


def tick(*, now: datetime.datetime | None = None) -> TickReport:
    """What the hour asks for: reminders from NOTIFY_REMINDER_HOUR, digests from
    NOTIFY_DIGEST_HOUR (local time), each at most once a day whatever the ticks."""
    local = timezone.localtime(now or timezone.now())
    report = TickReport()
    if local.hour >= settings.NOTIFY_REMINDER_HOUR:
        report.reminders += remind_round_ending(today=local.date())
        report.reminders += remind_actions(today=local.date())
        report.reminders += remind_commitments(today=local.date())
    if local.hour >= settings.NOTIFY_DIGEST_HOUR:
        report.digests = digests_prepare(today=local.date(), now=now)
    return report


@transaction.atomic
def remind_round_ending(*, today: datetime.date) -> int:
    """Inspectors whose assignment is due within 3 days and whose inspection is not in."""
    done = {
        (i.round_id, i.unit_id, i.inspector_id): i
        for i in Inspection.objects.filter(
            kind=Inspection.Kind.OFFICIAL, round__status=Round.Status.OPEN
        )
    }
    count = 0
    assignments = Assignment.objects.filter(round__status=Round.Status.OPEN).select_related(
        "round", "unit", "inspector"
    )
    for assignment in assignments:
        due = assignment.effective_due_on
        if not today <= due <= today + SOON:
            continue
        inspection = done.get((assignment.round_id, assignment.unit_id, assignment.inspector_id))
        if inspection is not None and not inspection.is_editable:
            continue
        target = notices.page("checklist", inspection.pk) if inspection else notices.page("home")
        count += len(
            notify(
                recipients=[assignment.inspector],
                kind="round_ending",
                key=f"round_ending:{assignment.pk}:{due.isoformat()}",
                data={
                    "round": assignment.round.name,
                    "unit": assignment.unit.name,
                    "due_on": due.isoformat(),
                    "page": target,
                },
            )
        )
    return count


@transaction.atomic
def remind_actions(*, today: datetime.date) -> int:
    """Due in 3 days, overdue, and overdue long enough to copy Internal Affairs."""
    count = 0
    copy_after = datetime.timedelta(days=settings.NOTIFY_OVERDUE_COPY_DAYS)
    live = list(
        CorrectiveAction.objects.filter(
            status__in=OPEN_ACTION_STATES, due_on__lte=today + SOON
        ).select_related("unit", "criterion")
    )
    affairs = None
    offices = office_people_of(action.unit for action in live)
    for action in live:
        due = action.due_on.isoformat()
        office = offices[action.unit_id]
        unit_page = notices.page("unit", action.unit.code, anchor=f"action-{action.pk}")
        kind = "action_overdue" if action.is_overdue(today) else "action_due_soon"
        count += len(
            notify(
                recipients=office,
                kind=kind,
                key=f"{kind}:{action.pk}:{due}",
                data=action_facts(action, page=unit_page),
            )
        )
        if action.due_on + copy_after <= today:
            affairs = affairs if affairs is not None else internal_affairs_people()
            count += len(
                notify(
                    recipients=affairs,
                    kind="action_overdue_copy",
                    key=f"action_overdue_copy:{action.pk}:{due}",
                    data=action_facts(
                        action,
                        days=(today - action.due_on).days,
                        page=notices.page("action", action.pk),
                    ),
                )
            )
    return count


@transaction.atomic
def remind_commitments(*, today: datetime.date) -> int:
    """In January and every month after, the units without this year's commitment."""
    signed = set(Commitment.objects.filter(year=today.year).values_list("unit_id", flat=True))
    units = OrgUnit.objects.filter(group__isnull=False, valid_to__isnull=True).exclude(
        pk__in=signed
    )
    count = 0
    for unit in units:
        people = [
            role.user
            for role in unit.user_roles.filter(kind=RoleKind.OFFICE).select_related("user")
        ]
        count += len(
            notify(
                recipients=people,
                kind="commitment_missing",
                key=f"commitment_missing:{unit.pk}:{today:%Y-%m}",
                data={"unit": unit.name, "year": today.year, "page": notices.page("commitments")},
            )
        )
    return count


def digests_prepare(*, today: datetime.date, now: datetime.datetime | None = None) -> int:
    """One digest e-mail per person with notifications waiting for it, at most one a day."""
    waiting = Notification.objects.filter(email_choice=EmailChoice.DIGEST, email__isnull=True)
    people = set(waiting.values_list("recipient_id", flat=True))
    made = 0
    for person_id in sorted(people):
        try:
            with transaction.atomic():
                digest = OutgoingEmail.objects.create(
                    recipient_id=person_id,
                    key=f"digest:{person_id}:{today.isoformat()}",
                    is_digest=True,
                    message_id=message_id(),
                    next_attempt_at=now or timezone.now(),
                )
                waiting.filter(recipient_id=person_id).update(email=digest)
        except IntegrityError:
            continue  # today's digest has left already: these wait for tomorrow's
        made += 1
    if made:
        wake_after_commit()
    return made
