"""From a service call to a message on a real SMTP server, in Vietnamese and in English."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from inspections import services
from inspections.models import (
    CorrectiveAction,
    InspectionRecord,
    Notification,
    OutgoingEmail,
    Profile,
)
from inspections.services.delivery import deliver_due
from tests.factories import jpeg_bytes
from tests.inspections.builders import submitted_inspection
from tests.notifications.conftest import closed_port


def mails_of(mailbox: Any, notification: Notification) -> list[Any]:
    """The messages the server received for this notification (by its Message-ID)."""
    assert notification.email is not None
    return [m for m in mailbox.received if m.message_id == notification.email.message_id]


def test_a_returned_inspection_reaches_its_inspector_by_mail_in_vietnamese(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any
) -> None:
    cast = addressed
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    committed(
        services.inspection_return,
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Ảnh A5 chưa rõ.",
        criteria=["A5", "B6"],
    )
    notification = Notification.objects.get(recipient=cast.inspector, kind="inspection_returned")
    [mail] = mails_of(mailbox, notification)
    assert mail.to == [cast.inspector.email]
    assert mail.subject.startswith("Phiếu kiểm tra Phường An Lạc bị trả lại")
    text = mail.text()
    assert "Lý do: Ảnh A5 chưa rõ." in text
    assert "A5, B6" in text
    assert "Hãy sửa phiếu và nộp lại trước ngày 31/12/2026." in text
    assert f"/thong-bao/{notification.pk}/" in text
    assert mail.message_id == notification.email.message_id
    assert str(mail.message["List-Unsubscribe"]).strip().startswith("<http")
    assert "Phường An Lạc" in mail.html()
    notification.email.refresh_from_db()
    assert notification.email.status == OutgoingEmail.Status.SENT


@pytest.mark.parametrize(
    ("language", "subject", "todo"),
    [
        ("vi", "Phiếu kiểm tra Phường An Lạc đã được duyệt", "Không cần làm gì thêm"),
        ("en", "The inspection of Phường An Lạc was approved", "Nothing more to do"),
    ],
)
def test_approval_tells_the_inspector_and_the_unit_in_the_product_language(
    mailbox: Any,
    committed: Any,
    addressed: Any,
    open_round: Any,
    org: Any,
    settings: Any,
    language: str,
    subject: str,
    todo: str,
) -> None:
    cast = addressed
    Profile.objects.filter(user__in=[cast.inspector, cast.ward_office]).update(language=language)
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    committed(services.inspection_approve, by=cast.internal_affairs, inspection=inspection)
    approved = Notification.objects.get(recipient=cast.inspector, kind="inspection_approved")
    [mail] = mails_of(mailbox, approved)
    assert mail.subject.startswith(subject)
    assert todo in mail.text()
    result = Notification.objects.get(recipient=cast.ward_office, kind="unit_result")
    [office_mail] = mails_of(mailbox, result)
    assert office_mail.to == [cast.ward_office.email]
    assert f"/thong-bao/{result.pk}/" in office_mail.text()


def _kinds_for(person: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_every_step_of_a_round_tells_the_people_it_concerns(
    mailbox: Any, committed: Any, addressed: Any, version: Any, org: Any
) -> None:
    """Assignment, opening, return, approval, actions, response, verdicts and ranking: each
    reaches its people in the inbox and, once, on the mail server."""
    cast = addressed
    draft = committed(
        services.round_create,
        by=cast.internal_affairs,
        name="Quý I/2027",
        version=version,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    committed(
        services.assignments_create,
        by=cast.internal_affairs,
        round=draft,
        inspector=cast.inspector,
        units=[org.ward],
    )
    committed(services.round_open, round=draft, by=cast.internal_affairs)
    inspection = submitted_inspection(
        draft,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
        flagged=["A1"],
    )
    committed(
        services.inspection_return,
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Thiếu ảnh.",
        criteria=["A1"],
    )
    services.inspection_submit(by=cast.inspector, inspection=inspection)
    committed(services.inspection_approve, by=cast.internal_affairs, inspection=inspection)
    action = CorrectiveAction.objects.get(inspection=inspection)
    fixed = [jpeg_bytes()]  # the item needs a photo of the fix
    committed(
        services.action_respond, by=cast.ward_office, action=action, note="Đã dọn.", files=fixed
    )
    committed(services.action_reopen, by=cast.inspector, action=action, note="Còn giấy tờ.")
    committed(
        services.action_respond, by=cast.ward_office, action=action, note="Đã dọn hết.", files=fixed
    )
    committed(services.action_verify, by=cast.inspector, action=action, note="Đạt.")
    committed(
        services.inspection_revise,
        by=cast.internal_affairs,
        inspection=inspection,
        reason="Sửa điểm A2.",
        answers={"A2": {"value": 3}},
    )
    committed(services.round_close, round=draft, by=cast.internal_affairs, confirmed=True)
    committed(services.round_publish, round=draft, by=cast.internal_affairs)

    assert _kinds_for(cast.inspector) == [
        "action_responded",
        "action_responded",
        "assigned",
        "inspection_approved",
        "inspection_returned",
        "inspection_revised",
        "round_opened",
    ]
    assert _kinds_for(cast.ward_office) == [
        "action_opened",
        "action_reopened",
        "action_verified",
        "ranking_published",
        "unit_result",
    ]
    assert _kinds_for(cast.other_inspector) == []
    assert _kinds_for(cast.department_office) == []
    every = list(Notification.objects.select_related("email"))
    assert len(mailbox.received) == len(every)
    assert sorted(m.message_id for m in mailbox.received) == sorted(
        n.email.message_id for n in every
    )
    assert all(n.email.status == OutgoingEmail.Status.SENT for n in every)
    ranking = Notification.objects.get(kind="ranking_published")
    [mail] = mails_of(mailbox, ranking)
    assert "xếp hạng 1 trong Khối phường, xã" in mail.text()


def test_a_server_that_is_down_is_tried_again_later_under_the_same_message_id(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    settings.EMAIL_PORT = closed_port()  # the mail server is down
    committed(
        services.assignments_create,
        by=addressed.internal_affairs,
        round=open_round,
        inspector=addressed.inspector,
        units=[org.ward],
    )
    email = Notification.objects.get(kind="assigned").email
    email.refresh_from_db()
    assert mailbox.received == []
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()
    settings.EMAIL_PORT = mailbox.port  # back up
    assert deliver_due().sent == 0  # not due yet: the backoff holds
    with time_machine.travel(email.next_attempt_at + datetime.timedelta(seconds=1), tick=False):
        assert deliver_due().sent == 1
    [mail] = mailbox.received
    assert mail.message_id == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutgoingEmail.Status.SENT, 2, "")


def test_the_backoff_doubles_and_gives_up_after_the_last_attempt(
    mailbox: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.EMAIL_PORT = closed_port()
    services.assignments_create(
        by=addressed.internal_affairs,
        round=open_round,
        inspector=addressed.inspector,
        units=[org.ward],
    )
    email = Notification.objects.get(kind="assigned").email
    waits = []
    for _attempt in range(3):
        email.refresh_from_db()
        with time_machine.travel(email.next_attempt_at, tick=False):
            deliver_due()
            email.refresh_from_db()
            waits.append((email.next_attempt_at - timezone.now()).total_seconds())
    assert waits[:2] == [settings.NOTIFY_RETRY_SECONDS, 2 * settings.NOTIFY_RETRY_SECONDS]
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)
    assert mailbox.received == []


def test_a_person_without_an_address_is_told_in_the_product_only(
    mailbox: Any, committed: Any, cast: Any, open_round: Any, org: Any
) -> None:
    committed(
        services.assignments_create,
        by=cast.internal_affairs,
        round=open_round,
        inspector=cast.inspector,
        units=[org.ward],
    )
    notification = Notification.objects.get(recipient=cast.inspector)
    assert (notification.email_choice, notification.email) == ("product", None)
    assert mailbox.received == []


@pytest.mark.pdf
def test_the_approval_mail_carries_the_record_that_the_verification_page_vouches_for(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    settings.RECORD_MAIL_MAX_BYTES = 5 * 1024 * 1024
    cast = addressed
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    committed(services.inspection_approve, by=cast.internal_affairs, inspection=inspection)
    approved = Notification.objects.get(recipient=cast.inspector, kind="inspection_approved")
    [mail] = mails_of(mailbox, approved)
    [attachment] = list(mail.message.iter_attachments())
    inspection.refresh_from_db()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"bien-ban-{inspection.record_number}-2026-r1.pdf"
    assert "Biên bản kiểm tra (PDF) được gửi kèm thư này." in mail.text()
    # The office gets the same stored file; having been handed out, it is never re-rendered.
    [record] = InspectionRecord.objects.filter(inspection=inspection)
    assert hashlib.sha256(attachment.get_content()).hexdigest() == record.sha256
    assert record.first_downloaded_at is not None
    office = Notification.objects.get(recipient=cast.ward_office, kind="unit_result")
    [office_mail] = mails_of(mailbox, office)
    [office_copy] = list(office_mail.message.iter_attachments())
    assert office_copy.get_content() == attachment.get_content()


def test_a_record_too_large_to_mail_is_left_to_the_link(
    mailbox: Any, committed: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    settings.RECORD_MAIL_MAX_BYTES = 0  # as in tests: no record is rendered for the e-mail
    cast = addressed
    inspection = submitted_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    committed(services.inspection_approve, by=cast.internal_affairs, inspection=inspection)
    approved = Notification.objects.get(recipient=cast.inspector, kind="inspection_approved")
    [mail] = mails_of(mailbox, approved)
    assert list(mail.message.iter_attachments()) == []
    assert "gửi kèm" not in mail.text()
    assert f"/thong-bao/{approved.pk}/" in mail.text()
    assert not InspectionRecord.objects.filter(inspection=inspection).exists()
