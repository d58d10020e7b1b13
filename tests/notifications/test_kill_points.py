"""A worker killed mid-delivery, at each of the two points that matter, fixed not random.

Killed before the mail server accepted the message: nothing is lost, and the next worker
sends it once. Killed after the server accepted it and before the row was marked: the next
worker sends it again under the same Message-ID, so the reader sees one message.
"""

from __future__ import annotations

import datetime
import signal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from inspections import services
from inspections.models import Notification, OutgoingEmail
from inspections.services.delivery import deliver_due
from tests.notifications.child import child_env, run_child, shared_database

# The child delivers through Django's SMTP backend, killing itself (SIGKILL: no clean-up,
# as an out-of-memory kill or a pulled plug) just before or just after the server's answer.
CHILD = """
import os, signal, sys
import django
django.setup()
from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["SMTP_PORT"])
settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
point = os.environ["KILL_AT"]
send = EmailBackend.send_messages
def dying(self, messages):
    if point == "before_send":
        os.kill(os.getpid(), signal.SIGKILL)
    sent = send(self, messages)
    if point == "after_send":
        os.kill(os.getpid(), signal.SIGKILL)
    return sent
EmailBackend.send_messages = dying
from inspections.services.delivery import deliver_due
deliver_due()
print("not killed")
"""


@pytest.fixture
def one_pending(transactional_db: Any, addressed: Any, open_round: Any, org: Any) -> Any:
    """One e-mail waiting in the outbox: the inspector's assignment. (Outside a test
    transaction the commit already delivered it to the test backend: put back as unsent.)"""
    services.assignments_create(
        by=addressed.internal_affairs,
        round=open_round,
        inspector=addressed.inspector,
        units=[org.ward],
    )
    notification = Notification.objects.get(recipient=addressed.inspector, kind="assigned")
    assert notification.email is not None
    OutgoingEmail.objects.exclude(pk=notification.email_id).delete()
    OutgoingEmail.objects.filter(pk=notification.email_id).update(
        status=OutgoingEmail.Status.PENDING, attempts=0, sent_at=None
    )
    return notification


def _kill_worker(tmp_path: Any, mailbox: Any, point: str) -> None:
    with shared_database(tmp_path) as url:
        done = run_child(CHILD, child_env(url, SMTP_PORT=str(mailbox.port), KILL_AT=point))
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


def _after_the_lease(minutes: int = 1) -> Any:
    later = timezone.now() + datetime.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    return time_machine.travel(later + datetime.timedelta(minutes=minutes), tick=False)


def test_a_worker_killed_before_the_server_accepted_loses_nothing_and_sends_once(
    one_pending: Any, mailbox: Any, tmp_path: Any
) -> None:
    email = one_pending.email
    _kill_worker(tmp_path, mailbox, "before_send")
    email.refresh_from_db()
    assert mailbox.received == []
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert deliver_due().sent == 0  # still claimed by the dead worker
    with _after_the_lease():
        report = deliver_due()
    assert report.sent == 1
    [mail] = mailbox.received
    assert mail.message_id == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_a_worker_killed_after_the_server_accepted_resends_under_the_same_message_id(
    one_pending: Any, mailbox: Any, tmp_path: Any
) -> None:
    email = one_pending.email
    _kill_worker(tmp_path, mailbox, "after_send")
    email.refresh_from_db()
    assert [m.message_id for m in mailbox.received] == [email.message_id]
    assert email.status == OutgoingEmail.Status.PENDING  # the mark never happened
    with _after_the_lease():
        assert deliver_due().sent == 1
    ids = [m.message_id for m in mailbox.to(one_pending.recipient.email)]
    assert ids == [email.message_id, email.message_id]  # one message to the reader
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    with _after_the_lease(minutes=120):
        assert deliver_due().sent == 0  # and never again
