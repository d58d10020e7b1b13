"""Benchmark: ranking of a round with 10,000 units (budget: compute < 1 s), and its exports.

    .venv/bin/python bench/ranking.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/ranking.py

SQLite runs in a temporary file; PostgreSQL in a database `bench_ranking` created (and
dropped afterwards) on the server of DATABASE_URL. The database named in the URL is only
used to connect for CREATE/DROP DATABASE: its tables are never touched.
Add `--profile` to print a cProfile of one ranking_compute call.
"""

from __future__ import annotations

import cProfile
import datetime
import pstats
import random
import sys
import time
from itertools import pairwise
from typing import Any

from builders import (  # bench/ is the script's folder, first on sys.path
    make_groups,
    make_results,
    make_round,
    make_units,
    setup_django,
    throwaway_database,
    timed,
)

BENCH_DB = "bench_ranking"
UNITS = 10_000
GROUPS = 20
RUNS = 5
BUDGET_SECONDS = 1.0


def make_data() -> tuple[Any, Any]:
    """20 groups of 500 units; an earlier round published (its snapshot holds the ranks the
    movement column reads); the round to rank."""
    from django.contrib.auth import get_user_model

    from inspections.models import RoleKind, UserRole
    from inspections.services import load_reference_catalogue, round_publish

    rng = random.Random(2026)
    version = load_reference_catalogue()
    groups = make_groups(GROUPS)
    units = make_units(groups, UNITS, rng, ["Phòng", "Sở", "Phường", "Trường", "Trung tâm"])
    internal_affairs = get_user_model().objects.create_user(username="noivu")
    UserRole.objects.create(user=internal_affairs, kind=RoleKind.INTERNAL_AFFAIRS, unit=units[0])
    earlier = make_round(
        version, "Quý III/2026", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    )
    current = make_round(
        version, "Quý IV/2026", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)
    )
    for round_, missing in ((earlier, 0.10), (current, 0.03)):
        make_results(round_, units, rng, missing=missing, provisional=0.04)
    round_publish(round=earlier, by=internal_affairs, confirmed=True)
    return current, version


def main() -> None:
    profile = "--profile" in sys.argv
    with throwaway_database(BENCH_DB) as url:
        setup_django(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from inspections.exports import ranking_csv, ranking_workbook
        from inspections.models import OrgUnit, UnitResult
        from inspections.selectors import ranking_compute

        start = time.perf_counter()
        current, _version = make_data()
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"set-up: {time.perf_counter() - start:.1f} s")

        with CaptureQueriesContext(connection) as queries:
            ranking_compute(round=current)
        median, times, groups = timed(lambda: ranking_compute(round=current), RUNS)
        rows = [row for group in groups for row in group.rows]
        ranked = sum(1 for row in rows if row.rank is not None)
        moved = sum(1 for row in rows if row.movement is not None)
        print(f"units: {OrgUnit.objects.count()}, groups: {len(groups)}")
        print(f"unit results: {UnitResult.objects.count()} (both rounds)")
        unranked = len(rows) - ranked
        print(f"ranking rows: {len(rows)} ({ranked} ranked, {unranked} unranked)")
        shared = sum(1 for g in groups for a, b in pairwise(g.rows) if a.rank and a.rank == b.rank)
        print(f"rows with a previous rank (movement): {moved}; rows sharing a rank: {shared}")
        print(f"ranking_compute queries: {len(queries)}")
        verdict = "OK" if median < BUDGET_SECONDS else "OVER BUDGET"
        each = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(f"ranking_compute: median {median * 1000:.0f} ms of {RUNS} ({each} ms), {verdict}")

        info = {
            "id": current.pk,
            "name": current.name,
            "status": current.status,
            "starts_on": current.starts_on,
            "ends_on": current.ends_on,
            "published_at": None,
        }
        data = [group.as_json() for group in groups]
        xlsx_median, _, content = timed(lambda: ranking_workbook(round_info=info, groups=data), 3)
        size = f"{len(content):,} bytes, {len(data)} sheets"
        print(f"export XLSX: median {xlsx_median * 1000:.0f} ms of 3, {size}")
        csv_median, _, text = timed(lambda: ranking_csv(round_info=info, groups=data), 3)
        size = f"{len(text.splitlines()) - 1} rows, {len(text.encode()):,} bytes"
        print(f"export CSV: median {csv_median * 1000:.0f} ms of 3, {size}")

        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(ranking_compute, round=current)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        if median >= BUDGET_SECONDS:
            sys.exit(1)


if __name__ == "__main__":
    main()
