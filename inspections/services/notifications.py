"""Telling people: notifications written in the caller's transaction, the outbox, choices.

`notify` is called by the services that change things, inside their atomic block: the
notification rows and the e-mails to send commit with the change or not at all. After the
commit a worker is woken to deliver them (inspections/tasks.py); if the queue cannot be
reached the rows wait for the hourly tick.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import notices
from inspections.errors import DomainError, Problem
from inspections.models import (
    MANDATORY_CATEGORIES,
    Category,
    EmailChoice,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from inspections.policies import Actor

log = logging.getLogger(__name__)

_UNSUBSCRIBE_SALT = "cong-so-xanh.notifications.unsubscribe"


def message_id() -> str:
    """A Message-ID of this site, fixed for ever once an e-mail row is written."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)


def notify(
    *, recipients: Iterable[Actor], kind: str, key: str, data: Mapping[str, Any]
) -> list[Notification]:
    """Tell each recipient once about the event `key`; their choice decides the e-mail."""
    category = notices.category_of(kind)
    people = {person.pk: person for person in recipients if person.is_active}
    if not people:
        return []
    already = set(
        Notification.objects.filter(recipient_id__in=people, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    chosen = dict(
        NotificationPreference.objects.filter(person_id__in=people, category=category).values_list(
            "person_id", "email"
        )
    )
    made = []
    now = timezone.now()
    for pk, person in people.items():
        if pk in already:
            continue
        choice = chosen.get(pk, EmailChoice.AT_ONCE)
        if not person.email:
            choice = EmailChoice.PRODUCT  # nowhere to send it: the inbox only
        notification = Notification(
            recipient=person,
            kind=kind,
            category=category,
            key=key,
            data=dict(data),
            created_at=now,
            email_choice=choice,
        )
        try:
            with transaction.atomic():  # a concurrent request told this person first
                notification.save(force_insert=True)
        except IntegrityError:
            continue
        if choice == EmailChoice.AT_ONCE:
            notification.email = OutgoingEmail.objects.create(
                recipient=person,
                key=f"notification:{notification.pk}",
                message_id=message_id(),
                next_attempt_at=now,
            )
            notification.save(update_fields=["email"])
        made.append(notification)
    if any(n.email_id for n in made):
        wake_after_commit()
    return made


@dataclass(frozen=True)
class Event:
    """One thing to tell: who, its key (unique per recipient) and its facts."""

    recipients: Sequence[Actor]
    key: str
    data: Mapping[str, Any]


# Keys and people go into IN lists: SQLite takes at most 32,766 parameters a statement.
_CHUNK = 900


def notify_each(*, kind: str, events: Iterable[Event]) -> int:
    """`notify` for many events of one kind (a ranking published to 50,000 units) in a few
    queries whatever their number: the same rows, choices and e-mails as one call per event.
    If a concurrent request told someone first, the batch falls back to one call per event."""
    events = [event for event in events if any(p.is_active for p in event.recipients)]
    if not events:
        return 0
    category = notices.category_of(kind)
    people = {p.pk: p for event in events for p in event.recipients if p.is_active}
    keys = [event.key for event in events]
    already: set[tuple[int, str]] = set()
    for start in range(0, len(keys), _CHUNK):
        told = Notification.objects.filter(key__in=keys[start : start + _CHUNK])
        already.update(told.values_list("recipient_id", "key"))
    chosen: dict[int, str] = {}
    person_ids = list(people)
    for start in range(0, len(person_ids), _CHUNK):
        choices = NotificationPreference.objects.filter(
            person_id__in=person_ids[start : start + _CHUNK], category=category
        )
        chosen.update(choices.values_list("person_id", "email"))
    now = timezone.now()
    made = []
    for event in events:
        for person in {p.pk: p for p in event.recipients if p.is_active}.values():
            if (person.pk, event.key) in already:
                continue
            choice = chosen.get(person.pk, EmailChoice.AT_ONCE) if person.email else None
            made.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    category=category,
                    key=event.key,
                    data=dict(event.data),
                    created_at=now,
                    email_choice=choice or EmailChoice.PRODUCT,  # no address: the inbox only
                )
            )
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(made, batch_size=500)
    except IntegrityError:
        return sum(
            len(notify(recipients=e.recipients, kind=kind, key=e.key, data=e.data)) for e in events
        )
    mailed = [n for n in made if n.email_choice == EmailChoice.AT_ONCE]
    emails = [
        OutgoingEmail(
            recipient=n.recipient,
            key=f"notification:{n.pk}",
            message_id=message_id(),
            next_attempt_at=now,
        )
        for n in mailed
    ]
    OutgoingEmail.objects.bulk_create(emails, batch_size=500)
    for notification, email in zip(mailed, emails, strict=True):
        notification.email = email
    Notification.objects.bulk_update(mailed, ["email"], batch_size=500)
    if mailed:
        wake_after_commit()
    return len(made)


def wake_after_commit() -> None:
    """Wake a worker once the transaction commits: once per transaction and savepoint level,
    however many e-mails it wrote (a callback registered at the same savepoints shares the
    fate of this one, so skipping the second loses nothing)."""
    here = set(connection.savepoint_ids)
    for entry in connection.run_on_commit:
        sids, func = entry[0], entry[1]
        if func is wake_delivery and set(sids) == here:
            return
    transaction.on_commit(wake_delivery)


def wake_delivery() -> None:
    """Ask a worker to deliver what is due; a queue that is down only delays it."""
    from inspections.tasks import deliver  # the tasks call the services: imported late

    try:
        deliver()
    except Exception:  # the change is committed; the hourly tick delivers the mail
        log.warning("task queue unreachable: e-mail left for the hourly tick", exc_info=True)


# --- The inbox ---------------------------------------------------------------------------------


def notification_read(*, by: Actor, notification: Notification) -> Notification:
    if notification.recipient_id != by.pk:
        raise DomainError(_("Không tìm thấy thông báo."), problem=Problem.NOT_FOUND)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_unread(*, by: Actor, notification: Notification) -> Notification:
    if notification.recipient_id != by.pk:
        raise DomainError(_("Không tìm thấy thông báo."), problem=Problem.NOT_FOUND)
    notification.read_at = None
    Notification.objects.filter(pk=notification.pk).update(read_at=None)
    return notification


def notifications_read_all(*, by: Actor) -> int:
    """Mark every unread notification of this person read; how many were."""
    return Notification.objects.filter(recipient_id=by.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Choices -----------------------------------------------------------------------------------


def _check_choice(category: str, email: str) -> None:
    if category not in Category.values:
        raise DomainError(_("Nhóm thông báo không hợp lệ."), fields={"category": [category]})
    if email not in EmailChoice.values:
        raise DomainError(_("Lựa chọn không hợp lệ."), fields={category: [email]})
    if category in MANDATORY_CATEGORIES and email == EmailChoice.PRODUCT:
        raise DomainError(
            _("Loại thông báo này luôn được gửi qua e-mail (ngay hoặc trong thư tổng hợp)."),
            fields={category: [_("Không tắt được e-mail của loại thông báo này.")]},
        )


@transaction.atomic
def preferences_set(*, by: Actor, choices: Mapping[str, str]) -> dict[str, str]:
    """Store the person's e-mail choice for each category named."""
    for category, email in choices.items():
        _check_choice(category, email)
    for category, email in choices.items():
        NotificationPreference.objects.update_or_create(
            person=by, category=category, defaults={"email": email}
        )
    return dict(choices)


def unsubscribe_token(*, person: Actor, category: str) -> str:
    return signing.dumps({"p": person.pk, "c": category}, salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_target(token: str) -> tuple[int, str]:
    """(person id, category) of a signed unsubscribe link; a forged one is a 404."""
    try:
        found = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        person, category = int(found["p"]), str(found["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError(_("Liên kết không hợp lệ."), problem=Problem.NOT_FOUND) from None
    if category not in Category.values:
        raise DomainError(_("Liên kết không hợp lệ."), problem=Problem.NOT_FOUND)
    return person, category


def unsubscribe_choice(category: str) -> str:
    """What an unsubscribe link sets: the inbox only, or the digest for the mandatory ones."""
    return EmailChoice.DIGEST if category in MANDATORY_CATEGORIES else EmailChoice.PRODUCT


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[int, str, str]:
    """Follow a signed unsubscribe link, without signing in: (person id, category, choice)."""
    person_id, category = unsubscribe_target(token)
    if not get_user_model().objects.filter(pk=person_id).exists():
        raise DomainError(_("Liên kết không hợp lệ."), problem=Problem.NOT_FOUND)
    choice = unsubscribe_choice(category)
    NotificationPreference.objects.update_or_create(
        person_id=person_id, category=category, defaults={"email": choice}
    )
    return person_id, category, choice
