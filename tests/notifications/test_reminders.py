"""The hourly tick with the clock moved: reminders and the digest, each sent once."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from inspections import services, tasks
from inspections.models import Notification, NotificationPreference
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int) -> Any:
    """The clock at `hour` o'clock, Vietnam time, on `day`."""
    moment = datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=HANOI)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def signed_2026(addressed: Any, org: Any) -> None:
    """Every unit with an office has its 2026 commitment: no commitment reminders here."""
    for unit, office in (
        (org.ward, addressed.ward_office),
        (org.tai_chinh, addressed.department_office),
    ):
        services.commitment_record(
            by=office, unit=unit, year=2026, signed_on=None, data=jpeg_bytes()
        )


def ticks(*moments: tuple[str, int]) -> None:
    for day, hour in moments:
        with at(day, hour):
            tasks.hourly()


def kinds(mailbox: Any, address: str) -> list[str]:
    """The notification kinds of the messages this address received, in order."""
    by_id = {n.email.message_id: n.kind for n in Notification.objects.exclude(email=None)}
    return [by_id.get(m.message_id, "digest") for m in mailbox.to(address)]


def test_an_action_is_reminded_three_days_before_then_overdue_then_copied_once_each(
    signed_2026: None, mailbox: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    cast = addressed
    settings.NOTIFY_OVERDUE_COPY_DAYS = 7
    with at("2026-11-01", 10):  # approved: the action is due 14 days later, on 15/11
        approved_inspection(
            open_round,
            org.ward,
            cast.inspector,
            internal_affairs=cast.internal_affairs,
            value_for={"A1": (1, "Bàn làm việc còn bừa bộn")},
            flagged=["A1"],
        )
        tasks.deliver()
    office, affairs = cast.ward_office.email, cast.internal_affairs.email
    assert sorted(kinds(mailbox, office)) == ["action_opened", "unit_result"]
    mailbox.clear()
    ticks(("2026-11-11", 9), ("2026-11-12", 6))  # four days before; three, before 7 o'clock
    assert mailbox.received == []
    ticks(("2026-11-12", 7), ("2026-11-12", 8), ("2026-11-13", 7), ("2026-11-15", 7))
    assert kinds(mailbox, office) == ["action_due_soon"]
    mailbox.clear()
    ticks(("2026-11-16", 7), ("2026-11-16", 12), ("2026-11-20", 7))
    assert kinds(mailbox, office) == ["action_overdue"]
    assert mailbox.to(affairs) == []
    mailbox.clear()
    ticks(("2026-11-21", 7), ("2026-11-22", 7), ("2026-11-23", 7), ("2026-12-01", 7))
    assert kinds(mailbox, affairs) == ["action_overdue_copy"]
    assert mailbox.to(office) == []
    [copy] = mailbox.to(affairs)
    assert "Phường An Lạc quá hạn khắc phục 7 ngày" in copy.subject


def test_an_unsubmitted_inspection_is_reminded_three_days_before_the_round_ends(
    signed_2026: None, mailbox: Any, addressed: Any, open_round: Any, org: Any
) -> None:
    cast = addressed
    services.assignments_create(
        by=cast.internal_affairs, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    services.assignments_create(
        by=cast.internal_affairs,
        round=open_round,
        inspector=cast.other_inspector,
        units=[org.school],
    )
    approved_inspection(
        open_round, org.school, cast.other_inspector, internal_affairs=cast.internal_affairs
    )
    tasks.deliver()
    mailbox.clear()
    ticks(("2026-12-27", 8), ("2026-12-28", 8), ("2026-12-29", 8), ("2026-12-31", 8))
    assert kinds(mailbox, cast.inspector.email) == ["round_ending"]
    assert mailbox.to(cast.other_inspector.email) == []  # theirs is in
    [mail] = mailbox.to(cast.inspector.email)
    assert "31/12/2026" in mail.text()


def test_the_daily_digest_leaves_once_at_the_agency_hour(
    signed_2026: None, mailbox: Any, addressed: Any, open_round: Any, org: Any, settings: Any
) -> None:
    cast = addressed
    settings.NOTIFY_DIGEST_HOUR = 17
    NotificationPreference.objects.create(
        person=cast.inspector, category="assignments", email="digest"
    )
    with at("2026-11-02", 9):
        services.assignments_create(
            by=cast.internal_affairs,
            round=open_round,
            inspector=cast.inspector,
            units=[org.ward],
        )
        services.assignments_create(
            by=cast.internal_affairs,
            round=open_round,
            inspector=cast.inspector,
            units=[org.school],
        )
        tasks.deliver()
    assert mailbox.received == []
    ticks(("2026-11-02", 10), ("2026-11-02", 16))
    assert mailbox.received == []
    ticks(("2026-11-02", 17), ("2026-11-02", 18), ("2026-11-02", 23))
    [digest] = mailbox.received
    assert digest.subject.startswith("Thư tổng hợp: 2 thông báo mới")
    assert "Phường An Lạc" in digest.text() and "Trường Tiểu học An Lạc" in digest.text()
    with at("2026-11-02", 19):
        services.assignments_create(
            by=cast.internal_affairs,
            round=open_round,
            inspector=cast.inspector,
            units=[org.tai_chinh],
        )
    ticks(("2026-11-02", 20), ("2026-11-03", 16))
    assert len(mailbox.received) == 1  # today's digest has left: tomorrow's takes it
    ticks(("2026-11-03", 17), ("2026-11-03", 18))
    assert len(mailbox.received) == 2
    assert "Sở Tài chính" in mailbox.received[1].text()
    assert mailbox.received[0].message_id != mailbox.received[1].message_id


def test_units_without_the_year_s_commitment_are_reminded_in_january_and_monthly(
    mailbox: Any, addressed: Any, org: Any
) -> None:
    cast = addressed
    ticks(("2026-12-31", 8))
    mailbox.clear()
    ticks(("2027-01-01", 7), ("2027-01-02", 7), ("2027-01-31", 7))
    assert kinds(mailbox, cast.ward_office.email) == ["commitment_missing"]
    assert kinds(mailbox, cast.department_office.email) == ["commitment_missing"]
    [mail] = mailbox.to(cast.ward_office.email)
    assert "Phường An Lạc chưa nộp bản cam kết năm 2027" in mail.subject
    mailbox.clear()
    ticks(("2027-02-01", 7), ("2027-02-15", 7))
    assert kinds(mailbox, cast.ward_office.email) == ["commitment_missing"]
