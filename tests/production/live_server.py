"""A real server for the tests and benchmarks of shared limits: a throwaway SQLite database,
gunicorn with several workers on a free loopback port, and a dedicated Redis database number,
flushed before and after."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
PASSWORD = "matkhau-thu-nghiem"

_PREPARE = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from inspections.services import token_issue
call_command("migrate", verbosity=0, interactive=False)
tokens = {}
for name in sys.argv[2:]:
    user = get_user_model().objects.create_user(name, password=sys.argv[1])
    tokens[name] = token_issue(user=user, device="live")[1]
print(json.dumps(tokens))
"""


class RedisMissing(RuntimeError):
    pass


@contextmanager
def redis_database(number: int) -> Iterator[str]:
    """redis://…/number, emptied before and after; RedisMissing when no server answers.

    Two suites on one machine (two checkouts, CI beside a developer) would empty each other's
    database: a lock in database 0 makes the second wait until the first is done with it."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisMissing(f"no Redis on {REDIS_HOST}:{REDIS_PORT}: {exc}") from None
    locks = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0, socket_timeout=2)
    lock = locks.lock(f"congsoxanh-tests:redis-db:{number}", timeout=900, blocking_timeout=900)
    if not lock.acquire():
        raise RedisMissing(f"Redis database {number} stayed in use by another test run")
    client.flushdb()
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}"
    finally:
        client.flushdb()
        client.close()
        lock.release()
        locks.close()


def server_env(folder: Path, **extra: str) -> dict[str, str]:
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "AXES_", "AWS_", "REDIS_", "THROTTLE_", "LOG"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DATABASE_URL"}
    }
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "tests.production.live_settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "STORAGE_BACKEND": "local",
        "LOG_FORMAT": "json",
        "GUNICORN_LOG_LEVEL": "info",  # "Booting worker" tells when they are up
        "EMAIL_HOST": "127.0.0.1",  # production needs one; these workers send no mail
        **extra,
    }


def prepare(env: dict[str, str], usernames: list[str]) -> dict[str, str]:
    """Migrate the throwaway database, create the users (PASSWORD) and a token for each."""
    result = subprocess.run(
        [sys.executable, "-c", _PREPARE, PASSWORD, *usernames],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    tokens: dict[str, str] = json.loads(result.stdout.strip().splitlines()[-1])
    return tokens


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 3) -> Iterator[int]:
    """gunicorn (config/gunicorn.conf.py) with `workers` workers; yields its port once every
    worker answers. Its log (JSON lines, one per access with the worker's pid) goes to `log`."""
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_workers(port, log, workers, process)
        yield port
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=30)


def _wait_for_workers(port: int, log: Path, workers: int, process: Any) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        booted = log.read_text().count("Booting worker")
        try:
            if booted >= workers and request(port, "GET", "/api/v1/")[0] in {200, 404}:
                # Each worker imports Django on its first request: warm them all.
                for _ in range(workers * 3):
                    request(port, "GET", "/api/v1/")
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")


def request(
    port: int,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection (so the workers share the load), as the phone would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if payload is not None else {}
        connection.request(method, path, body=payload, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def worker_pids(log: Path) -> set[int]:
    """The workers that answered a request, from gunicorn's JSON access lines."""
    pids = set()
    for line in log.read_text().splitlines():
        if line.startswith("{") and '"gunicorn.access"' in line:
            pids.add(int(json.loads(line)["pid"]))
    return pids
