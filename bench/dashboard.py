"""Benchmark: the leaders' dashboard of a generated 2,000-unit city (four quarters, the last
open), its time and query count; `--keep FILE` keeps the SQLite database to look at the page.

    .venv/bin/python bench/dashboard.py [--units 2000] [--keep /tmp/city.sqlite3]
    DEBUG=true DATABASE_URL=sqlite:////tmp/city.sqlite3 .venv/bin/python manage.py runserver
    (sign in as `lanhdao`, password `congsoxanh2026`, and open /tong-quan/)
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ["Khối sở, ban, ngành", "Khối phường, xã", "Khối đơn vị sự nghiệp", "Khối trường học"]
CLASSES = [("xuat_sac", 90), ("tot", 80), ("kha", 65), ("dat", 50), ("khong_dat", 0)]


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_city(size: int) -> None:
    """Units in four groups, each inspected in the three published quarters and most in the
    open one; answers drawn per unit, with a drift so the year has movers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from inspections.models import (
        Assignment,
        Commitment,
        CorrectiveAction,
        Criterion,
        Group,
        Inspection,
        OrgUnit,
        Profile,
        RoleKind,
        Round,
        UnitResult,
        UserRole,
    )
    from inspections.services import load_reference_catalogue
    from inspections.vietnamese import vietnamese_sort_key

    rng = random.Random(2026)
    version = load_reference_catalogue()
    criteria = list(Criterion.objects.filter(version=version).order_by("section__order", "order"))
    groups = [Group.objects.create(code=f"khoi-{i}", name=name) for i, name in enumerate(GROUPS)]
    units = OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                code=f"DV{i:05d}",
                name=f"{rng.choice(['Phường', 'Sở', 'Trường', 'Trung tâm', 'Xã'])} số {i:04d}",
                group=groups[i % len(groups)],
                valid_from=datetime.date(2025, 1, 1),
                sort_key=vietnamese_sort_key(f"số {i:04d}"),
            )
            for i in range(size)
        ),
        batch_size=2000,
    )
    users = get_user_model()
    password = make_password("congsoxanh2026")
    inspector = users.objects.create(username="kiemtra1", password=password)
    leader = users.objects.create(username="lanhdao", password=password)
    Profile.objects.create(user=inspector, full_name="Lê Minh Tuấn")
    Profile.objects.create(user=leader, full_name="Trần Văn Đức")
    UserRole.objects.create(user=inspector, kind=RoleKind.INSPECTOR, unit=units[0])
    UserRole.objects.create(user=leader, kind=RoleKind.LEADER)
    quarters = [
        ("Quý I/2026", 1, Round.Status.PUBLISHED),
        ("Quý II/2026", 4, Round.Status.PUBLISHED),
        ("Quý III/2026", 7, Round.Status.PUBLISHED),
        ("Quý IV/2026", 10, Round.Status.OPEN),
    ]
    level = {u.pk: rng.uniform(0.6, 0.95) for u in units}
    drift = {u.pk: rng.uniform(-0.05, 0.06) for u in units}
    for q, (name, month, status) in enumerate(quarters):
        start = datetime.date(2026, month, 1)
        end = datetime.date(2026, month + 2, 30 if month in (4, 7) else 31)
        round_ = Round.objects.create(
            name=name, version=version, status=status, starts_on=start, ends_on=end
        )
        Assignment.objects.bulk_create(
            (Assignment(round=round_, unit=u, inspector=inspector) for u in units),
            batch_size=2000,
        )
        inspections, results = [], []
        for unit in units:
            if status == Round.Status.OPEN and rng.random() < 0.4:
                continue  # not inspected yet
            quality = min(1.0, max(0.3, level[unit.pk] + drift[unit.pk] * q))
            scores, earned, possible, failed = [], Decimal(0), Decimal(0), []
            for c in criteria:
                got = c.max_points if rng.random() < quality else Decimal(0)
                scores.append(
                    {
                        "code": c.code,
                        "earned": str(got),
                        "possible": str(c.max_points),
                        "critical_failed": bool(c.critical and not got),
                    }
                )
                earned, possible = earned + got, possible + c.max_points
                if c.critical and not got:
                    failed.append(c.code)
            score = (100 * earned / possible).quantize(Decimal("0.01"))
            code = next(code for code, low in CLASSES if score >= low)
            capped = failed and code in ("xuat_sac", "tot")
            code = "kha" if capped else code
            state = Inspection.State.APPROVED
            if status == Round.Status.OPEN and rng.random() < 0.3:
                state = Inspection.State.SUBMITTED
            inspections.append(
                Inspection(
                    round=round_,
                    unit=unit,
                    inspector=inspector,
                    state=state,
                    unit_name_snapshot=unit.name,
                    group_snapshot_id=unit.group_id,
                    score=score,
                    classification=code,
                    critical_failures=failed,
                    criterion_scores=scores,
                )
            )
            if state == Inspection.State.APPROVED:
                results.append(
                    UnitResult(
                        unit=unit,
                        round=round_,
                        group_id=unit.group_id,
                        score=score,
                        classification=code,
                        class_order=[c for c, _low in CLASSES].index(code) + 1,
                        critical_failed=bool(failed),
                        capped_by=failed if capped else [],
                        inspection_count=1,
                    )
                )
        made = Inspection.objects.bulk_create(inspections, batch_size=1000)
        UnitResult.objects.bulk_create(results, batch_size=2000)
        by_code = {c.code: c for c in criteria}
        CorrectiveAction.objects.bulk_create(
            (
                CorrectiveAction(
                    inspection=i,
                    criterion=by_code[code],
                    unit_id=i.unit_id,
                    reason=CorrectiveAction.Reason.CRITICAL_FAILED,
                    due_on=end + datetime.timedelta(days=30),
                    status=CorrectiveAction.Status.OPEN
                    if rng.random() < 0.3
                    else CorrectiveAction.Status.VERIFIED,
                )
                for i in made
                if i.state == Inspection.State.APPROVED
                for code in i.critical_failures
            ),
            batch_size=2000,
        )
    Commitment.objects.bulk_create(
        (Commitment(unit=u, year=2026) for u in units if rng.random() < 0.7), batch_size=2000
    )


def measure(runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.selectors import dashboard_data

    times = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            board = dashboard_data(query={})
            times.append(time.perf_counter() - started)
    print(f"dashboard_data, {board.round.name if board.round else '-'}, every group:")
    print(f"  first {times[0]:.3f} s, median of {runs} {statistics.median(times):.3f} s")
    print(f"  queries {len(queries)}; heat map {len(board.heat)} criteria x {len(board.groups)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the SQLite database in this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        path = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
        path.unlink(missing_ok=True)
        setup_django(f"sqlite:///{path}")
        started = time.perf_counter()
        make_city(args.units)
        print(f"{args.units} units, 4 rounds built in {time.perf_counter() - started:.1f} s")
        measure(args.runs)


if __name__ == "__main__":
    main()
