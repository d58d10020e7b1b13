"""What the ranking benchmarks build: a database for one run, Django on it, and the groups,
units and unit results of a movement, made the same way by national.py, ranking.py and
exports.py (each keeps its own sizes and options)."""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from throwaway import postgres_database  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
# The reference model's classes, best first, with the lowest score of each.
CLASSES = (("xuat_sac", 90), ("tot", 80), ("kha", 65), ("dat", 50), ("khong_dat", 0))
CLASS_ORDER = {code: i for i, (code, _low) in enumerate(CLASSES, 1)}


@contextmanager
def throwaway_database(name: str, kept: str | None = None) -> Iterator[str]:
    """A DATABASE_URL for this run: a temporary SQLite file, or the PostgreSQL database
    `name` made and dropped on the server of DATABASE_URL; `kept` is used as it is."""
    if kept:
        yield kept
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix=f"{name.replace('_', '-')}-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    with postgres_database(url, name) as database_url:
        yield database_url


def setup_django(database_url: str, *, root: Path = ROOT, media: str | None = None) -> None:
    sys.path.insert(0, str(root))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    if media is not None:
        os.environ["MEDIA_ROOT"] = media
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if media is not None:
        settings.MEDIA_ROOT = media
    call_command("migrate", verbosity=0, interactive=False)


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum gives them in a while."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def class_for(score: Decimal) -> str:
    return next(code for code, low in CLASSES if score >= low)


def make_groups(count: int, name: str = "Khối thi đua {:02d}") -> list[Any]:
    from inspections.models import Group
    from inspections.vietnamese import vietnamese_sort_key

    return Group.objects.bulk_create(
        Group(
            code=f"khoi-{g:02d}",
            name=name.format(g),
            sort_key=vietnamese_sort_key(name.format(g)),
        )
        for g in range(1, count + 1)
    )


def make_units(
    groups: Sequence[Any], count: int, rng: random.Random, kinds: Sequence[str]
) -> list[Any]:
    """`count` units named "<kind> số 00042", dealt to the groups in turn."""
    from inspections.models import OrgUnit
    from inspections.vietnamese import vietnamese_sort_key

    units = []
    for i in range(count):
        name = f"{rng.choice(kinds)} số {i:05d}"
        units.append(
            OrgUnit(
                code=f"DV{i:05d}",
                name=name,
                group=groups[i % len(groups)],
                valid_from=datetime.date(2025, 1, 1),
                sort_key=vietnamese_sort_key(name),
            )
        )
    return OrgUnit.objects.bulk_create(units, batch_size=2000)


def make_results(
    round_: Any,
    units: Sequence[Any],
    rng: random.Random,
    *,
    missing: float,
    lowest: int = 80,
    capped: float = 0.05,
    no_basis: float = 0.02,
    provisional: float = 0.0,
) -> None:
    """Unit results as unit_result_recompute stores them: half-point scores from lowest/2
    to 100 (many shared ranks), a share of units with no approved inspection (`missing`),
    held at "Đạt" by a failed ★ item (`capped`) or without enough basis (`no_basis`)."""
    from inspections.models import UnitResult

    results = []
    for unit in units:
        if rng.random() < missing:
            continue  # no approved inspection: listed unranked
        score = Decimal(rng.randint(lowest, 200)) / 2
        klass = class_for(score)
        if capped and rng.random() < capped:  # a failed ★ item
            klass = "dat" if CLASS_ORDER[klass] < CLASS_ORDER["dat"] else klass
        if no_basis and rng.random() < no_basis:
            klass = ""  # not enough basis to classify: unranked
        results.append(
            UnitResult(
                unit=unit,
                round=round_,
                group_id=unit.group_id,
                score=score,
                score_exact=score,
                classification=klass,
                class_order=CLASS_ORDER.get(klass),
                provisional=bool(provisional) and rng.random() < provisional,
                inspection_count=1,
            )
        )
    UnitResult.objects.bulk_create(results, batch_size=2000)


def make_round(version: Any, name: str, starts_on: datetime.date, ends_on: datetime.date) -> Any:
    from inspections.models import Round

    return Round.objects.create(
        name=name,
        version=version,
        status=Round.Status.CLOSED,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def timed(function: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """The median of `runs` timings of `function`, every timing, and its last value."""
    times, value = [], None
    for _ in range(runs):
        value = None  # the last run's value freed first, as a server frees a response
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, value
