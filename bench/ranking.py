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
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from throwaway import postgres_database  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_ranking"
UNITS = 10_000
GROUPS = 20
RUNS = 5
BUDGET_SECONDS = 1.0


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Yield a DATABASE_URL for a database made for this run, and remove it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-ranking-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    with postgres_database(url, BENCH_DB) as database_url:
        yield database_url


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _class_for(score: Decimal) -> str:
    for code, minimum in (("xuat_sac", 90), ("tot", 80), ("kha", 65), ("dat", 50)):
        if score >= minimum:
            return code
    return "khong_dat"


def make_data() -> tuple[Any, Any]:
    """20 groups of 500 units; a published earlier round with ranks; the round to rank."""
    from inspections.models import Group, OrgUnit, Round, UnitResult
    from inspections.selectors import ranking_compute
    from inspections.services import load_reference_catalogue
    from inspections.vietnamese import vietnamese_sort_key

    rng = random.Random(2026)
    version = load_reference_catalogue()
    order = {code: i for i, code in enumerate(["xuat_sac", "tot", "kha", "dat", "khong_dat"], 1)}
    groups = Group.objects.bulk_create(
        Group(
            code=f"khoi-{g:02d}",
            name=f"Khối thi đua {g:02d}",
            sort_key=vietnamese_sort_key(f"Khối thi đua {g:02d}"),
        )
        for g in range(1, GROUPS + 1)
    )
    units = []
    for i in range(UNITS):
        name = f"{rng.choice(['Phòng', 'Sở', 'Phường', 'Trường', 'Trung tâm'])} số {i:05d}"
        units.append(
            OrgUnit(
                code=f"DV{i:05d}",
                name=name,
                group=groups[i % GROUPS],
                valid_from=datetime.date(2025, 1, 1),
                sort_key=vietnamese_sort_key(name),
            )
        )
    units = OrgUnit.objects.bulk_create(units, batch_size=2000)
    earlier = Round.objects.create(
        name="Quý III/2026",
        version=version,
        status=Round.Status.PUBLISHED,
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    current = Round.objects.create(
        name="Quý IV/2026",
        version=version,
        status=Round.Status.CLOSED,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    for round_, missing in ((earlier, 0.10), (current, 0.03)):
        results = []
        for unit in units:
            if rng.random() < missing:
                continue  # no approved inspection: listed unranked
            # Half-point steps: many equal scores, hence shared ranks.
            score = Decimal(rng.randint(80, 200)) / 2
            klass = _class_for(score)
            if rng.random() < 0.05:
                klass = "dat" if order[klass] < order["dat"] else klass  # a failed ★ item
            if rng.random() < 0.02:
                klass = ""  # not enough basis to classify: unranked
            results.append(
                UnitResult(
                    unit=unit,
                    round=round_,
                    group_id=unit.group_id,
                    score=score,
                    score_exact=score,
                    classification=klass,
                    class_order=order.get(klass),
                    provisional=rng.random() < 0.04,
                    inspection_count=1,
                )
            )
        UnitResult.objects.bulk_create(results, batch_size=2000)
    # Store the earlier round's ranks as publishing would, for the movement column.
    ranks = {
        row.unit_id: row.rank for group in ranking_compute(round=earlier) for row in group.rows
    }
    stored = list(UnitResult.objects.filter(round=earlier))
    for result in stored:
        result.rank = ranks.get(result.unit_id)
    UnitResult.objects.bulk_update(stored, ["rank"], batch_size=2000)
    return current, version


def timed(function: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, value


def main() -> None:
    profile = "--profile" in sys.argv
    with throwaway_database() as url:
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
