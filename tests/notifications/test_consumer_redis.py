"""A real huey consumer (`manage.py run_huey`) on Redis delivers the outbox to a real SMTP
server. Redis on 127.0.0.1:6379, database 14 (flushed before and after, held by this run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from huey.storage import MemoryStorage, RedisStorage

from inspections import services, tasks
from inspections.models import Notification, OutgoingEmail
from tests.notifications.child import ROOT, child_env, shared_database
from tests.production.live_server import RedisMissing, redis_database

pytestmark = pytest.mark.redis

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_db() -> Any:
    import redis

    try:
        with redis_database(14) as url:
            client = redis.Redis.from_url(url, socket_connect_timeout=1)
            yield client
            client.close()
    except RedisMissing as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture
def queue_on(redis_db: Any) -> Any:
    """This process's huey, pointed at a queue: memory (nobody consumes) or Redis."""
    huey = tasks.deliver.huey
    saved = (huey.immediate, huey.storage)

    def point(storage: Any) -> None:
        huey._immediate = False
        huey.storage = storage

    yield point
    huey._immediate, huey.storage = saved


def test_a_consumer_on_redis_delivers_the_outbox(
    transactional_db: Any,
    queue_on: Any,
    mailbox: Any,
    addressed: Any,
    open_round: Any,
    org: Any,
    tmp_path: Any,
) -> None:
    queue_on(MemoryStorage("nobody-consumes"))  # the commit's wake-up goes nowhere
    for unit in (org.ward, org.school, org.tai_chinh):
        services.assignments_create(
            by=addressed.internal_affairs,
            round=open_round,
            inspector=addressed.inspector,
            units=[unit],
        )
    assert OutgoingEmail.objects.filter(status="pending").count() == 3
    with shared_database(tmp_path) as url:
        env = child_env(
            url,
            REDIS_URL=REDIS_URL,
            TASKS_IMMEDIATE="false",
            EMAIL_PORT=str(mailbox.port),
            EMAIL_USE_TLS="false",
        )
        log = (tmp_path / "consumer.log").open("w")
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            queue_on(RedisStorage("congsoxanh", url=REDIS_URL))
            tasks.deliver()  # into Redis: the consumer takes it
            deadline = time.monotonic() + 30
            while len(mailbox.received) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            consumer.send_signal(signal.SIGINT)  # a graceful stop
            consumer.wait(timeout=30)
            log.close()
    output = (tmp_path / "consumer.log").read_text()
    assert len(mailbox.received) == 3, output[-3000:]
    assert "inspections.tasks.deliver" in output
    sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT)
    assert sent.count() == 3
    assert sorted(m.message_id for m in mailbox.received) == sorted(e.message_id for e in sent)
    assert Notification.objects.filter(recipient=addressed.inspector).count() == 3
