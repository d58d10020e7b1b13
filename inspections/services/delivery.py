"""Delivering the outbox: claim due e-mails, send them, mark them; retry with backoff.

At least once: a row is marked sent only after the mail server accepted it. A worker killed
before that leaves its claim to run out (NOTIFY_LEASE_SECONDS) and another sends the row;
killed between the server's "250 OK" and the mark, the row is sent again under the same
Message-ID, which mail clients show as one message.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from inspections import notices
from inspections.mail import language_of, render_message
from inspections.models import InspectionRecord, Notification, OutgoingEmail
from inspections.selectors.records import record_filename
from inspections.services.notifications import unsubscribe_choice, unsubscribe_token
from inspections.services.records import record_for_mail

log = logging.getLogger(__name__)

_LONGEST_WAIT = datetime.timedelta(hours=6)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    next_retry_at: datetime.datetime | None = None
    errors: list[str] = field(default_factory=list)


def deliver_due(*, batch: int = 50, now: datetime.datetime | None = None) -> DeliveryReport:
    """Send every e-mail that is due, a batch at a time over one SMTP connection."""
    report = DeliveryReport()
    while True:
        claimed, token = claim(batch=batch, now=now)
        if not claimed:
            break
        _send_batch(claimed, token, report)
        if len(claimed) < batch:
            break
    pending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
    report.next_retry_at = (
        pending.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    )
    return report


def claim(*, batch: int, now: datetime.datetime | None = None) -> tuple[list[OutgoingEmail], str]:
    """Take up to `batch` due rows for this worker: another worker sees them as taken."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = OutgoingEmail.objects.filter(
        free, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    )
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:batch])
    if not ids:
        return [], token
    lease = datetime.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    # The same conditions again: a row another worker claimed meanwhile is not taken twice.
    due.filter(pk__in=ids).update(
        lease_until=now + lease, lease_token=token, attempts=F("attempts") + 1
    )
    rows = OutgoingEmail.objects.filter(lease_token=token).select_related("recipient")
    return list(rows.order_by("id")), token


def _send_batch(rows: list[OutgoingEmail], token: str, report: DeliveryReport) -> None:
    connection: BaseEmailBackend = get_connection(fail_silently=False)
    try:
        for row in rows:
            try:
                message = build_message(row, connection=connection)
                if message is None:
                    _mark_sent(row, token)  # nothing left to say (read and gone): done
                    continue
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                _close_quietly(connection)  # the next message opens a fresh connection
                _retry_or_fail(row, token, exc, report)
            else:
                _mark_sent(row, token)
                report.sent += 1
    finally:
        _close_quietly(connection)


def _close_quietly(connection: BaseEmailBackend) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def _mark_sent(row: OutgoingEmail, token: str) -> None:
    OutgoingEmail.objects.filter(pk=row.pk, lease_token=token).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
    )


def _permanent(exc: Exception) -> bool:
    """The server refused the address itself (5xx): trying again would not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return False


def _retry_or_fail(row: OutgoingEmail, token: str, exc: Exception, report: DeliveryReport) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    report.errors.append(error)
    log.warning("e-mail %s not delivered (attempt %s): %s", row.key, row.attempts, error)
    if _permanent(exc) or row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=row.pk, lease_token=token).update(
            status=OutgoingEmail.Status.FAILED, lease_until=None, last_error=error
        )
        report.failed += 1
        return
    wait = min(
        datetime.timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** (row.attempts - 1)),
        _LONGEST_WAIT,
    )
    OutgoingEmail.objects.filter(pk=row.pk, lease_token=token).update(
        next_attempt_at=timezone.now() + wait, lease_until=None, last_error=error
    )
    report.retrying += 1


# --- The message -------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_message(
    row: OutgoingEmail, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives | None:
    """The e-mail of an outbox row, in the recipient's language, under its own Message-ID."""
    person = row.recipient
    if not person.email:
        return None
    items = list(Notification.objects.filter(email=row).order_by("created_at", "id"))
    if not items:
        return None
    record = None if row.is_digest else _record_to_attach(items[0], person)
    with translation.override(language_of(person)):
        entries = [_entry(n, person) for n in items]
        context: dict[str, Any] = {
            "entries": entries,
            "preferences_url": _absolute(reverse("notification-preferences")),
            "inbox_url": _absolute(reverse("notifications")),
            "record_attached": record is not None,
        }
        if not row.is_digest:
            context["entry"] = entries[0]
    message = render_message(
        person=person, template="digest" if row.is_digest else "notification", context=context
    )
    if record is not None:
        with default_storage.open(record.file.name, "rb") as pdf:
            message.attach(record_filename(record), pdf.read(), "application/pdf")
    message.extra_headers["Message-ID"] = row.message_id
    if not row.is_digest:
        unsubscribe = entries[0]["unsubscribe_url"]
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.connection = connection
    return message


def _record_to_attach(notification: Notification, person: Any) -> InspectionRecord | None:
    """The biên bản an approval or revision notification carries, if the person may see it."""
    wanted = notification.data.get("record")
    if not isinstance(wanted, dict):
        return None
    try:
        return record_for_mail(recipient=person, record=wanted)
    except Exception:
        # A record that cannot be rendered (a broken photo, a missing font) must not hold
        # back the notification: it goes without the attachment, its link still works.
        log.exception("record not attached to e-mail of notification %s", notification.pk)
        return None


def _entry(notification: Notification, person: Any) -> dict[str, Any]:
    notice = notices.notice_of(notification)
    token = unsubscribe_token(person=person, category=notification.category)
    return {
        "notice": notice,
        "url": _absolute(reverse("notification-open", args=[notification.pk])),
        "category": notification.get_category_display(),
        "unsubscribe_url": _absolute(reverse("notification-unsubscribe", args=[token])),
        "unsubscribe_to_digest": unsubscribe_choice(notification.category) == "digest",
    }
