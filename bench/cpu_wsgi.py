"""The project's WSGI app with the CPU each request costs, for bench/load.py --cpu.

gunicorn serves `cpu_wsgi:application` (this folder on its PYTHONPATH, the checkout's own
config.wsgi inside). Per request: the serving thread's CPU (Python, Pillow, the driver) and
its PostgreSQL backend's CPU, read from /proc before and after (the server on this machine).
Each worker appends one JSON line per request kind to BENCH_CPU_LOG when it exits. With
BENCH_CPU_PROFILE=folder, it also writes a cProfile (thread CPU) of each kind there.
"""

from __future__ import annotations

import atexit
import cProfile
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from config.wsgi import application as _app  # the checkout's own app

_TICK = os.sysconf("SC_CLK_TCK")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_lock = threading.Lock()
_totals: dict[str, list[float]] = {}  # kind → [count, app CPU, db CPU, wall]


def _backend_cpu() -> float:
    """CPU seconds of this thread's PostgreSQL backend so far (0 without a connection)."""
    from django.db import connection

    raw = getattr(connection, "connection", None)
    if raw is None or connection.vendor != "postgresql":
        return 0.0
    try:
        with open(f"/proc/{raw.info.backend_pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, AttributeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _kind(environ: dict[str, Any]) -> str:
    path = _UUID.sub("{id}", environ.get("PATH_INFO", ""))
    path = re.sub(r"/answers/[^/]+/", "/answers/{code}/", path)
    return f"{environ.get('REQUEST_METHOD')} {path}"


_profiles: list[tuple[str, cProfile.Profile]] = []
_idle: dict[str, list[cProfile.Profile]] = {}


def _profiled(kind: str, call: Callable[[], Any]) -> Any:
    """With BENCH_CPU_PROFILE, `call` under a cProfile that counts this thread's CPU (the
    profiles of a kind are only used by one thread at a time)."""
    if not os.environ.get("BENCH_CPU_PROFILE"):
        return call()
    with _lock:
        free = _idle.setdefault(kind, [])
        profile = free.pop() if free else cProfile.Profile(time.thread_time)
        if not free and all(p is not profile for _, p in _profiles):
            _profiles.append((kind, profile))
    try:
        return profile.runcall(call)
    finally:
        with _lock:
            _idle[kind].append(profile)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    wall, cpu, db = time.perf_counter(), time.thread_time(), _backend_cpu()
    kind = _kind(environ)
    response = _profiled(kind, lambda: _app(environ, start_response))
    # The whole body, inside the measure.
    body: list[bytes] = _profiled(kind, lambda: list(response))
    # Closing may close the connection (CONN_MAX_AGE): read the backend first.
    db_after = _backend_cpu()
    closing = getattr(response, "close", None)
    if closing:
        closing()
    used = (time.thread_time() - cpu, max(0.0, db_after - db), time.perf_counter() - wall)
    with _lock:
        row = _totals.setdefault(kind, [0, 0.0, 0.0, 0.0])
        row[0] += 1
        for i, value in enumerate(used, 1):
            row[i] += value
    return body


@atexit.register
def _write() -> None:
    target = os.environ.get("BENCH_CPU_LOG")
    if target and _totals:
        with open(target, "a") as log, _lock:
            for kind, (count, cpu, db, wall) in _totals.items():
                log.write(json.dumps([kind, count, cpu, db, wall]) + "\n")
    folder = os.environ.get("BENCH_CPU_PROFILE")
    for i, (kind, profile) in enumerate(_profiles if folder else ()):
        name = re.sub(r"[^A-Za-z]+", "_", kind).strip("_")
        profile.dump_stats(f"{folder}/{name}.{os.getpid()}.{i}.prof")
