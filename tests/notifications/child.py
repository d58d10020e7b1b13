"""Helpers for tests that run the product in another process (a worker to kill, a consumer).

The child reads the test's database: on SQLite the in-memory test database is copied to a
file for it and copied back afterwards; on PostgreSQL it opens the test database itself.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def shared_database(folder: Path) -> Iterator[str]:
    """A DATABASE_URL the child can open, holding what this test committed; on exit,
    whatever the child wrote is visible here."""
    settings = connection.settings_dict
    if connection.vendor != "sqlite":
        user = settings.get("USER") or ""
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        yield f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
        return
    connection.ensure_connection()
    live: Any = connection.connection
    path = folder / "child.sqlite3"
    target = sqlite3.connect(path)
    live.backup(target)
    target.close()
    try:
        yield f"sqlite:///{path}"
    finally:
        source = sqlite3.connect(path)
        source.backup(live)
        source.close()


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.test_settings",
        PYTHONPATH=str(ROOT),
        EMAIL_HOST="127.0.0.1",  # production settings refuse to start without one
        **extra,
    )
    return env


def run_child(
    code: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
