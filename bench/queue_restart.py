"""The queue with Redis stopped and restarted under a running consumer: what is lost, what waits.

Run from the repository root: `.venv/bin/python bench/queue_restart.py`. It starts its own
redis-server on a free loopback port (never the shared one), without persistence, a consumer
(`run_huey`) on it, an aiosmtpd server, and a throwaway SQLite database, then:
1. writes 5 notifications: the commit's wake-up goes through Redis, the consumer delivers;
2. stops Redis; writes 5 more: the wake-up fails (the service call still succeeds, a
   warning is logged) and the consumer keeps running, logging its connection errors;
3. starts Redis again (empty: the queue's messages are gone) and waits: the consumer
   reconnects by itself; the 5 e-mails wait in the outbox;
4. runs the hourly task, as the scheduler would at the next hour: they are delivered.
It prints what the server received after each step and the consumer's log lines about Redis.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="bench-queue-"))

from bench.mailserver import free_port, smtp_server  # noqa: E402

PORT = free_port()
REDIS_URL = f"redis://127.0.0.1:{PORT}/0"
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.test_settings",
    DATABASE_URL=f"sqlite:///{FOLDER / 'bench.sqlite3'}",
    TASKS_IMMEDIATE="false",
    REDIS_URL=REDIS_URL,
    EMAIL_HOST="127.0.0.1",
    EMAIL_USE_TLS="false",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from inspections import tasks  # noqa: E402
from inspections.models import OutgoingEmail  # noqa: E402
from inspections.services import notify  # noqa: E402


def redis_server() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(FOLDER),
        ],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def write(people: list[object], step: int) -> None:
    started = time.perf_counter()
    notify(
        recipients=people,
        kind="round_opened",
        key=f"restart:{step}",
        data={"round": f"Bước {step}", "starts_on": "2027-01-01", "ends_on": "2027-03-31"},
    )
    print(f"   notify() for {len(people)} people returned in {time.perf_counter() - started:.2f} s")


def wait_for(mailbox: object, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while len(mailbox.received) < count and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.1)


def main() -> None:
    if not shutil.which("redis-server"):
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    logging.basicConfig(level=logging.WARNING, format="   log: %(name)s: %(message)s")
    call_command("migrate", verbosity=0)
    model = get_user_model()
    people = [model.objects.create(username=f"u{i}", email=f"u{i}@example.vn") for i in range(5)]
    redis = redis_server()
    with smtp_server() as mailbox:
        env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mailbox.port)}
        log_path = FOLDER / "consumer.log"
        log = log_path.open("w")
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(2)
            print(f"1. Redis up on port {PORT}, consumer running")
            write(people, 1)
            wait_for(mailbox, 5, 20)
            print(f"   received: {len(mailbox.received)}")
            print("2. Redis stopped")
            subprocess.run(["redis-cli", "-p", str(PORT), "shutdown", "nosave"], check=False)
            redis.wait(timeout=10)
            write(people, 2)
            time.sleep(5)
            print(
                f"   received: {len(mailbox.received)}; pending in the outbox: "
                f"{OutgoingEmail.objects.filter(status='pending').count()}; "
                f"consumer alive: {consumer.poll() is None}"
            )
            print("3. Redis started again (empty)")
            redis = redis_server()
            time.sleep(5)
            print(
                f"   received: {len(mailbox.received)}; pending in the outbox: "
                f"{OutgoingEmail.objects.filter(status='pending').count()}; "
                f"consumer alive: {consumer.poll() is None}"
            )
            print("4. the hourly task, queued through Redis as the scheduler does")
            tasks.hourly()
            wait_for(mailbox, 10, 20)
            print(
                f"   received: {len(mailbox.received)}; pending in the outbox: "
                f"{OutgoingEmail.objects.filter(status='pending').count()}"
            )
            ids = [m.message_id for m in mailbox.received]
            print(f"   distinct Message-IDs: {len(set(ids))} of {len(ids)}")
        finally:
            consumer.send_signal(signal.SIGINT)
            consumer.wait(timeout=30)
            log.close()
            redis.terminate()
            redis.wait(timeout=10)
    lines = [line for line in log_path.read_text().splitlines() if "rror" in line]
    print(f"consumer log: {len(lines)} error lines, first and last:")
    for line in lines[:1] + lines[-1:]:
        print("  ", line[:200])


if __name__ == "__main__":
    main()
