"""Benchmark at national size: 50,000 units in 40 groups, four published rounds (issue 22).

    .venv/bin/python bench/national.py [--units 50000] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/national.py \
        --db-name h_rank_bench

SQLite runs in a temporary file; PostgreSQL in a database `--db-name` (default
`bench_national`) created and dropped on the server of DATABASE_URL, whose own database is
only used to connect. The rounds are published through `round_publish`, so each snapshot
and its movement are what the product stores. Prints: ranking compute (`ranking_compute`
of all groups of the last round, median of `--runs`), snapshot read (`ranking_for_round`
of that published round), the unit page and the dashboard (Django test client, as a leader)
and the ranking page's XLSX and CSV of all groups, each with its query count.
`--only compute` (repeatable: compute, read, pages, exports) measures only those parts;
`--keep DATABASE_URL` builds into that database and keeps it, and measures a database that
holds the data already without building again: the same rows timed by two branches' code.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builders import (  # bench/ is the script's folder, first on sys.path
    analyze,
    make_groups,
    make_results,
    make_round,
    make_units,
    setup_django,
    throwaway_database,
    timed,
)

GROUPS = 40
ROUNDS = (
    ("Quý I/2026", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ("Quý II/2026", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
    ("Quý III/2026", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
    ("Quý IV/2026", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
)
PARTS = ("compute", "read", "pages", "exports")
KINDS = ["Phòng", "Sở", "Phường", "Xã", "Trường", "Trung tâm", "Ban", "Bệnh viện"]


def make_people(home: Any) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from inspections.models import Profile, RoleKind, UserRole

    made = []
    for username, kind, name in (
        ("noivu", RoleKind.INTERNAL_AFFAIRS, "Nguyễn Thị Hà"),
        ("lanhdao", RoleKind.LEADER, "Trần Văn Minh"),
    ):
        user = get_user_model().objects.create_user(username=username, password="x-bench-only")
        Profile.objects.create(user=user, full_name=name)
        UserRole.objects.create(user=user, kind=kind, unit=home)
        made.append(user)
    return made[0], made[1]


def make_data(units_wanted: int) -> tuple[Any, Any, Any]:
    """Groups, units and four rounds of unit results, each round published in turn."""
    from inspections.services import load_reference_catalogue, round_publish

    rng = random.Random(2026)
    version = load_reference_catalogue()
    groups = make_groups(GROUPS, "Khối {:02d}")
    units = make_units(groups, units_wanted, rng, KINDS)
    internal_affairs, leader = make_people(units[0])
    rounds = []
    for name, starts, ends in ROUNDS:
        round_ = make_round(version, name, starts, ends)
        make_results(round_, units, rng, missing=0.03, lowest=100)
        round_publish(round=round_, by=internal_affairs, confirmed=True)
        rounds.append(round_)
    analyze()
    rounds[-1].refresh_from_db()
    return rounds[-1], units[1], leader


def queries_of(function: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def report(label: str, function: Callable[[], Any], runs: int, extra: str = "") -> float:
    count = queries_of(function)
    median, times, _value = timed(function, runs)
    each = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"{label}: median {median * 1000:.0f} ms of {runs} ({each} ms), {count} queries{extra}")
    return median


def fetch(client: Any, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db-name", default="bench_national")
    parser.add_argument(
        "--keep",
        metavar="DATABASE_URL",
        help="build into this database and keep it; when it holds the data already, measure it",
    )
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only these")
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    with throwaway_database(args.db_name, kept=args.keep) as url:
        setup_django(url)
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from inspections.models import OrgUnit, RankingSnapshot, Round, UnitResult
        from inspections.selectors import ranking_compute, ranking_for_round

        start = time.perf_counter()
        if OrgUnit.objects.exists():
            last = Round.objects.order_by("-ends_on").first()
            unit = OrgUnit.objects.get(code="DV00001")
            leader = get_user_model().objects.get(username="lanhdao")
            args.units = OrgUnit.objects.count()
        else:
            last, unit, leader = make_data(args.units)
        import inspections

        print(f"code: {Path(inspections.__file__).parent.parent}")
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        print(
            f"set-up: {time.perf_counter() - start:.1f} s; units: {args.units}, groups: {GROUPS}, "
            f"unit results: {UnitResult.objects.count()}, published rounds: "
            f"{RankingSnapshot.objects.count()}"
        )
        assert last is not None
        groups = ranking_compute(round=last)
        rows = [row for group in groups for row in group.rows]
        ranked = sum(1 for row in rows if row.rank is not None)
        moved = sum(1 for row in rows if row.movement is not None)
        print(f"ranking rows: {len(rows)} ({ranked} ranked, {moved} with movement)")
        del groups, rows  # as a server holds no other ranking while it computes one
        if "compute" in parts:
            report("ranking compute", lambda: ranking_compute(round=last), args.runs)
        if "read" in parts:
            report("snapshot read", lambda: ranking_for_round(round=last), args.runs)
        client = Client()
        client.force_login(leader)
        if "pages" in parts:
            report("unit page", lambda: fetch(client, f"/don-vi/{unit.code}/"), args.runs)
            report("dashboard", lambda: fetch(client, "/tong-quan/"), args.runs)
        if "exports" not in parts:
            return
        xlsx = fetch(client, f"/dot/{last.pk}/xep-hang/?format=xlsx")
        report(
            "ranking XLSX (all groups)",
            lambda: fetch(client, f"/dot/{last.pk}/xep-hang/?format=xlsx"),
            3,
            f", {len(xlsx):,} bytes",
        )
        csv = fetch(client, f"/dot/{last.pk}/xep-hang/?format=csv")
        report(
            "ranking CSV (all groups)",
            lambda: fetch(client, f"/dot/{last.pk}/xep-hang/?format=csv"),
            3,
            f", {len(csv):,} bytes",
        )


if __name__ == "__main__":
    main()
