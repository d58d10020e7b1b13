"""A PostgreSQL database made for one benchmark run and dropped afterwards."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def postgres_database(admin_url: str, name: str) -> Iterator[str]:
    """Yield the URL of a fresh database `name` on the server of `admin_url`; drop it after."""
    import psycopg

    parts = urlsplit(admin_url)
    if parts.path.lstrip("/") == name:
        sys.exit(f"The database URL must name another database than {name}, to connect through.")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
