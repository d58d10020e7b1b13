"""Benchmark: the inspector's checklist page on first load (budget: 60 KB over the wire).

    .venv/bin/python bench/pageweight.py

Builds a throwaway SQLite database with the 32-criterion reference model, runs
collectstatic with WhiteNoise's compressed manifest storage (as in production), renders
the checklist with Django's test client and adds up what a first visit downloads: the HTML
gzip-compressed (as any reverse proxy sends it) plus every stylesheet and script the page
links, in the .gz copies WhiteNoise serves. Photos aside. Prints the SQL queries of the page
with 0 and with 10 photos too (they must be equal). Exits 1 when over budget.
"""

from __future__ import annotations

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_BYTES = 60 * 1024


def main() -> int:
    folder = tempfile.mkdtemp(prefix="bench-pageweight-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-not-a-secret",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        STATIC_ROOT=f"{folder}/static",
        MEDIA_ROOT=f"{folder}/media",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inspections import services
    from inspections.models import RoleKind
    from tests.factories import Org, jpeg_bytes, make_user

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    version = services.load_reference_catalogue()
    org = Org.build()
    noivu = make_user("noivu", RoleKind.INTERNAL_AFFAIRS, org.noi_vu)
    inspector = make_user("kiemtra1", RoleKind.INSPECTOR, org.noi_vu)
    round = services.round_create(
        by=noivu,
        name="Quý IV/2026",
        version=version,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        open_now=True,
    )
    services.assignments_create(by=noivu, round=round, inspector=inspector, units=[org.ward])
    inspection, _ = services.inspection_create(by=inspector, round=round, unit=org.ward)

    client = Client()
    client.force_login(inspector)
    url = reverse("checklist", args=[inspection.pk])
    response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    html = response.content
    parts = {"HTML": (len(html), len(gzip.compress(html, 6)))}
    static_root = Path(os.environ["STATIC_ROOT"])
    for link in re.findall(rb'(?:href|src)="/static/([^"]+)"', html):
        name = link.decode()
        raw = (static_root / name).read_bytes()
        packed = static_root / f"{name}.gz"
        size = packed.stat().st_size if packed.exists() else len(gzip.compress(raw, 9))
        parts[name] = (len(raw), size)

    with CaptureQueriesContext(connection) as empty:
        client.get(url, secure=True)
    for n in range(10):
        code = ["A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "D1", "D2"][n]
        services.photo_attach(
            by=inspector, inspection=inspection, data=jpeg_bytes(), criterion_code=code
        )
    with CaptureQueriesContext(connection) as photos:
        client.get(url, secure=True)

    total = sum(packed for _raw, packed in parts.values())
    print("Checklist page, 32-criterion reference model, first load (photos aside):")
    for name, (raw, packed) in parts.items():
        print(f"  {name:<40} {raw / 1024:7.1f} KB raw {packed / 1024:7.1f} KB gzip")
    print(
        f"  {'total over the wire':<40} {total / 1024:7.1f} KB (budget {BUDGET_BYTES // 1024} KB)"
    )
    print(f"SQL queries: {len(empty)} with 0 photos, {len(photos)} with 10 photos")
    ok = total <= BUDGET_BYTES and len(empty) == len(photos)
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
