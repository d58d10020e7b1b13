"""Delivery rate of the notification worker to a real SMTP server on loopback.

Run from the repository root: `.venv/bin/python bench/notifications.py [--messages 1000]
[--workers 1 2 4]`. It makes a throwaway SQLite database, migrates it, writes N notifications
(each with its outbox e-mail, as the services do), starts an aiosmtpd server on a free
loopback port, then measures:
- in process: `deliver_due()` alone (claim, render in the recipient's language, send over one
  SMTP connection per batch of 50, mark), messages per second;
- a real consumer: `manage.py run_huey --workers W` on its SQLite queue (or on Redis with
  `--redis redis://127.0.0.1:6379/15`, a database it flushes), woken by W `deliver` tasks,
  from the first task queued to the last message accepted by the server.
Every run checks that the server received each Message-ID exactly once.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="bench-notify-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.test_settings",
    DATABASE_URL=f"sqlite:///{FOLDER / 'bench.sqlite3'}",
    TASKS_SQLITE_PATH=str(FOLDER / "tasks.sqlite3"),
    TASKS_IMMEDIATE="false",
    EMAIL_HOST="127.0.0.1",
    EMAIL_USE_TLS="false",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.mailserver import smtp_server  # noqa: E402
from inspections.models import OutgoingEmail  # noqa: E402
from inspections.services import notify  # noqa: E402


def make_outbox(messages: int, round_no: int) -> None:
    """N outbox e-mails; the commits' wake-ups go nowhere (the run below wakes the worker)."""
    from huey.storage import MemoryStorage

    from inspections import tasks

    huey = tasks.deliver.huey
    storage, huey.storage = huey.storage, MemoryStorage("nobody-consumes")
    try:
        _notify_all(messages, round_no)
    finally:
        huey.storage = storage


def _notify_all(messages: int, round_no: int) -> None:
    users = get_user_model().objects.order_by("pk")
    people = list(users[: min(messages, 200)])
    for n in range(0, messages, len(people)):
        notify(
            recipients=people[: messages - n],
            kind="round_opened",
            key=f"bench:{round_no}:{n}",
            data={"round": f"Quý {n}/2027", "starts_on": "2027-01-01", "ends_on": "2027-03-31"},
        )


def check_once(mailbox: object, expected: int) -> None:
    ids = Counter(m.message_id for m in mailbox.received)  # type: ignore[attr-defined]
    twice = [i for i, n in ids.items() if n > 1]
    assert len(ids) == expected and not twice, (len(ids), expected, twice[:3])


def in_process(messages: int, mailbox: object) -> float:
    from django.conf import settings

    from inspections.services.delivery import deliver_due

    make_outbox(messages, 0)
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", mailbox.port  # type: ignore[attr-defined]
    started = time.perf_counter()
    report = deliver_due()
    took = time.perf_counter() - started
    assert report.sent == messages, report
    check_once(mailbox, messages)
    return messages / took


def consumer(messages: int, workers: int, mailbox: object, round_no: int, redis: str) -> float:
    from huey.storage import RedisStorage

    from inspections import tasks

    if redis:
        tasks.deliver.huey.storage = RedisStorage("congsoxanh", url=redis)
    make_outbox(messages, round_no)
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mailbox.port)}  # type: ignore[attr-defined]
    if redis:
        env["REDIS_URL"] = redis
        import redis as redis_client

        redis_client.Redis.from_url(redis).flushdb()
    log = (FOLDER / f"consumer-{round_no}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    time.sleep(2.0)  # the consumer is up and waiting
    mailbox.clear()  # type: ignore[attr-defined]
    started = time.perf_counter()
    for _ in range(workers):
        tasks.deliver()
    deadline = started + 600
    while len(mailbox.received) < messages and time.perf_counter() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.02)
    took = time.perf_counter() - started
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    log.close()
    check_once(mailbox, messages)
    assert not OutgoingEmail.objects.filter(status="pending").exists()
    return messages / took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--redis", default="", help="a Redis URL for the consumer's queue")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    model = get_user_model()
    model.objects.bulk_create(
        model(username=f"nguoi{i}", email=f"nguoi{i}@example.vn", first_name="Lan")
        for i in range(200)
    )
    print(f"{args.messages} notifications, SMTP on loopback (aiosmtpd), SQLite database")
    with smtp_server() as mailbox:
        rate = in_process(args.messages, mailbox)
        print(f"  in process (deliver_due, one thread): {rate:7.1f} messages/s")
        for round_no, workers in enumerate(args.workers, 1):
            mailbox.clear()
            rate = consumer(args.messages, workers, mailbox, round_no, args.redis)
            queue = "Redis" if args.redis else "SQLite queue"
            print(f"  run_huey --workers {workers} ({queue}): {rate:7.1f} messages/s")


if __name__ == "__main__":
    main()
