"""Benchmark: exports at national size, each with its time and peak memory.

    .venv/bin/python bench/exports.py                  # all three parts below
    .venv/bin/python bench/exports.py ranking          # the ranking XLSX/CSV of 50,000 units
    .venv/bin/python bench/exports.py data             # 10,000 units × 4 rounds × 32 answers
    .venv/bin/python bench/exports.py evidence         # a ZIP of 5,000 photos
    .venv/bin/python bench/exports.py ranking --root /work/wt-exports-base   # main's code
    .venv/bin/python bench/exports.py ranking --against /work/wt-exports-base  # in turns

`ranking` runs against the code of `--root` (default: this tree), so the same script times
main's openpyxl workbook in a worktree of main and the streamed one here. `--engines` adds
XlsxWriter's constant-memory mode against openpyxl's write-only mode on the same rows.

Memory: "heap" is tracemalloc's peak during the export (a second run, as tracemalloc slows
Python down); "RSS" is the process's resident-set high-water mark during the timed run above
the resident set before it (Linux: /proc/self/clear_refs resets the mark). SQLite in a
temporary file; DATABASE_URL=postgres://… uses a database `bench_exports` made and dropped.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from builders import (  # bench/ is the script's folder, first on sys.path
    make_groups,
    make_results,
    make_round,
    make_units,
    setup_django,
    throwaway_database,
)

HERE = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def measure(label: str, run: Callable[[], Any], *, heap: bool = True) -> Any:
    """Time one run (with its RSS high-water mark), then the heap's peak in a second run."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset VmHWM to the current resident set
    except OSError:
        pass
    before = _rss_kb("VmRSS:")
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    rss = max(_rss_kb("VmHWM:") - before, 0) / 1024
    line = f"{label}: {seconds:.2f} s, RSS +{rss:.1f} MB"
    if heap:
        gc.collect()
        tracemalloc.start()
        run()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f", heap peak {peak / MB:.1f} MB"
    print(f"{line}{describe(result)}", flush=True)
    return result


def describe(result: Any) -> str:
    if isinstance(result, int):
        return f" ({result:,} bytes)"
    return ""


def drain(chunks: Iterator[bytes]) -> int:
    return sum(len(chunk) for chunk in chunks)


# --- Ranking: 50,000 units in 40 groups ---------------------------------------------------


def ranking_data(units_count: int, groups_count: int) -> Any:
    from inspections.services import load_reference_catalogue

    rng = random.Random(2026)
    version = load_reference_catalogue()
    groups = make_groups(groups_count)
    units = make_units(groups, units_count, rng, ["Phường"])
    round_ = make_round(
        version, "Quý IV/2026", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)
    )
    make_results(round_, units, rng, missing=0.03, capped=0, no_basis=0, provisional=0.04)
    return round_


def bench_ranking(args: argparse.Namespace) -> None:
    from inspections import exports
    from inspections.selectors import ranking_for_round

    start = time.perf_counter()
    round_ = ranking_data(args.units, 40)
    print(f"ranking set-up: {args.units:,} units in 40 groups, {time.perf_counter() - start:.1f} s")
    groups = ranking_for_round(round=round_)
    info = {
        "id": round_.pk,
        "name": round_.name,
        "status": round_.status,
        "starts_on": round_.starts_on,
        "ends_on": round_.ends_on,
        "published_at": None,
    }
    streamed = hasattr(exports, "ranking_file")
    print(f"code: {args.root} ({'streamed' if streamed else 'in memory'})")
    if args.against:  # only the comparison in turns
        against(args.against, info, groups)
        return
    if streamed:

        def xlsx() -> int:
            with exports.ranking_file(round_info=info, groups=groups) as handle:
                return drain(iter(lambda: handle.read(64 * 1024), b""))

        def as_csv() -> int:
            return drain(exports.ranking_csv_chunks(round_info=info, groups=groups))
    else:  # main: the page's path, JSON rows then the whole workbook in memory

        def xlsx() -> int:
            data = [group.as_json() for group in groups]
            return len(exports.ranking_workbook(round_info=info, groups=data))

        def as_csv() -> int:
            data = [group.as_json() for group in groups]
            return len(exports.ranking_csv(round_info=info, groups=data).encode())

    times = []
    for _ in range(3):
        began = time.perf_counter()
        xlsx()
        times.append(time.perf_counter() - began)
    print(f"ranking XLSX, all groups: median of 3 {sorted(times)[1]:.2f} s")
    measure("ranking XLSX, all groups", xlsx)
    measure("ranking CSV, all groups", as_csv)
    if args.engines:
        engines(groups)


def against(base: Path, info: dict[str, Any], groups: list[Any]) -> None:
    """Main's ranking workbook (its inspections/exports.py, loaded beside ours) and the
    streamed one, run in turns in this process, so that both meet the same machine load."""
    import importlib.util

    from inspections import exports

    spec = importlib.util.spec_from_file_location(
        "main_exports", base.resolve() / "inspections" / "exports.py"
    )
    assert spec is not None and spec.loader is not None
    main_exports = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main_exports)

    def on_main() -> int:  # the page's path on main: JSON rows, the workbook in memory
        data = [group.as_json() for group in groups]
        return len(main_exports.ranking_workbook(round_info=info, groups=data))

    def here() -> int:
        with exports.ranking_file(round_info=info, groups=groups) as handle:
            return drain(iter(lambda: handle.read(64 * 1024), b""))

    timings: dict[str, list[float]] = {"main": [], "streamed": []}
    for _turn in range(3):
        for name, run in (("main", on_main), ("streamed", here)):
            gc.collect()
            began = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - began)
    medians = {name: sorted(times)[1] for name, times in timings.items()}
    for name, times in timings.items():
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"ranking XLSX in turns, {name}: median {medians[name]:.2f} s ({each})")
    print(f"ranking XLSX in turns: streamed is {medians['main'] / medians['streamed']:.2f}× faster")
    measure("ranking XLSX, main's code (heap peak)", on_main)
    measure("ranking XLSX, streamed (heap peak)", here)


def engines(groups: list[Any]) -> None:
    """The same 50,000 rows of cells written by each library's streaming mode."""
    from openpyxl import Workbook as OpenpyxlWorkbook
    from xlsxwriter import Workbook

    rows = [
        [i, r.rank or 0, r.unit_code, r.unit_name, float(r.score or 0), r.classification, "—", ""]
        for g in groups
        for i, r in enumerate(g.rows, 1)
    ]

    def xlsxwriter_constant() -> int:
        out = io.BytesIO()
        book = Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet()
        for n, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(n, c, value)
        book.close()
        return len(out.getvalue())

    def openpyxl_write_only() -> int:
        out = io.BytesIO()
        book = OpenpyxlWorkbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        book.save(out)
        return len(out.getvalue())

    measure("engine XlsxWriter constant_memory, 50,000 rows × 8", xlsxwriter_constant)
    measure("engine openpyxl write_only, 50,000 rows × 8", openpyxl_write_only)


# --- Data exports: 10,000 units × 4 rounds × 32 answers ------------------------------------


def data_world(units_count: int, rounds_count: int) -> list[Any]:
    """Units, inspectors, four approved rounds, an inspection per unit and round, 32 answers
    each: bulk-created, as a province's year would leave them."""
    from django.contrib.auth import get_user_model

    from inspections.models import Answer, Criterion, Group, Inspection, OrgUnit, Profile, Round
    from inspections.services import load_reference_catalogue

    rng = random.Random(20)
    version = load_reference_catalogue()
    criteria = list(Criterion.objects.filter(version=version).order_by("section__order", "order"))
    groups = Group.objects.bulk_create(
        Group(code=f"khoi-{g:02d}", name=f"Khối thi đua {g:02d}", sort_key=f"{g:04d}")
        for g in range(1, 21)
    )
    units = OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                code=f"DV{i:05d}",
                name=f"Phường số {i:05d}",
                group=groups[i % 20],
                valid_from=datetime.date(2025, 1, 1),
                sort_key=f"{i:05d}",
            )
            for i in range(units_count)
        ),
        batch_size=5000,
    )
    user_model = get_user_model()
    inspectors = user_model.objects.bulk_create(
        user_model(username=f"kiemtra{i}") for i in range(50)
    )
    Profile.objects.bulk_create(
        Profile(user=u, full_name=f"Nguyễn Văn {i}", sort_key=f"{i}")
        for i, u in enumerate(inspectors)
    )
    rounds = [
        Round.objects.create(
            name=f"Quý {q}/2026",
            version=version,
            status=Round.Status.PUBLISHED,
            starts_on=datetime.date(2026, 3 * q - 2, 1),
            ends_on=datetime.date(2026, 3 * q, 28),
        )
        for q in range(1, rounds_count + 1)
    ]
    for round_ in rounds:
        inspections = Inspection.objects.bulk_create(
            (
                Inspection(
                    round=round_,
                    unit=unit,
                    inspector=inspectors[i % 50],
                    state=Inspection.State.APPROVED,
                    unit_name_snapshot=unit.name,
                    group_snapshot_id=unit.group_id,
                    score=Decimal("88.50"),
                    classification="tot",
                    section_scores=[{"section": "A", "score": "90.00"}],
                )
                for i, unit in enumerate(units)
            ),
            batch_size=2000,
        )
        batch: list[Any] = []
        for inspection in inspections:
            for criterion in criteria:
                batch.append(
                    Answer(
                        inspection=inspection,
                        criterion=criterion,
                        yes_no=True if criterion.answer_type == "yes_no" else None,
                        level=3 if criterion.answer_type == "level" else None,
                        number=Decimal("97.5") if criterion.answer_type == "percent" else None,
                        note="Đã kiểm tra thực tế" if rng.random() < 0.1 else "",
                        flagged=rng.random() < 0.02,
                        points=criterion.max_points,
                    )
                )
            if len(batch) >= 20_000:
                Answer.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Answer.objects.bulk_create(batch, batch_size=5000)
    return rounds


def bench_data(args: argparse.Namespace) -> None:
    from inspections.data_exports import (
        ACTIONS,
        ANSWERS,
        INSPECTIONS,
        answers_csv_chunks,
        write_file,
    )
    from inspections.models import Answer
    from inspections.selectors.exports import ExportScope

    start = time.perf_counter()
    rounds = data_world(args.data_units, 4)
    count = Answer.objects.count()
    print(
        f"data set-up: {args.data_units:,} units × 4 rounds, {count:,} answers, "
        f"{time.perf_counter() - start:.1f} s"
    )

    def to_file(scope: ExportScope, tables: list[str], kind: str) -> Callable[[], int]:
        def run() -> int:
            with tempfile.TemporaryFile() as handle:
                write_file(handle, scope, tables=tables, kind=kind)
                return handle.tell()

        return run

    one, year = ExportScope(round=rounds[0]), ExportScope(year=2026)
    per_round, units = count // 4, args.data_units
    measure(
        f"answers CSV, one round ({per_round:,} rows), streamed",
        lambda: drain(answers_csv_chunks(one)),
    )
    measure(f"answers XLSX, one round ({per_round:,} rows)", to_file(one, [ANSWERS], "xlsx"))
    measure(
        f"inspections XLSX, the year ({4 * units:,} rows)", to_file(year, [INSPECTIONS], "xlsx")
    )
    measure("actions CSV, the year", to_file(year, [ACTIONS], "csv"))
    measure(
        f"answers CSV, the year ({count:,} rows), streamed",
        lambda: drain(answers_csv_chunks(year)),
    )
    if args.full:
        measure(f"answers XLSX, the year ({count:,} rows)", to_file(year, [ANSWERS], "xlsx"))


# --- The evidence archive: 5,000 photos ----------------------------------------------------


def evidence_world(photos_count: int) -> Any:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from inspections.models import Criterion, EvidencePhoto, Inspection

    rounds = data_world(max(photos_count // 10, 1), 1)
    inspections = list(Inspection.objects.filter(round=rounds[0]))
    criteria = list(Criterion.objects.filter(version=rounds[0].version)[:10])
    rng = random.Random(5)
    rows = []
    for i in range(photos_count):
        image = Image.new("RGB", (160, 120), (rng.randrange(256), rng.randrange(256), 90))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        data = buffer.getvalue()
        name = default_storage.save(f"bench/{i}/d.jpg", ContentFile(data))
        rows.append(
            EvidencePhoto(
                inspection=inspections[i // 10],
                criterion=criteria[i % 10],
                original=name,
                display=name,
                thumbnail=name,
                content_type="image/jpeg",
                size_bytes=len(data),
                sha256=f"{i:064x}",
            )
        )
    EvidencePhoto.objects.bulk_create(rows, batch_size=2000)
    return rounds[0]


def bench_evidence(args: argparse.Namespace) -> None:
    from inspections.evidence_archive import archive_chunks
    from inspections.models import EvidencePhoto
    from inspections.selectors.archive import evidence_items

    start = time.perf_counter()
    round_ = evidence_world(args.photos)
    print(f"evidence set-up: {args.photos:,} photos, {time.perf_counter() - start:.1f} s")
    items = lambda: evidence_items(EvidencePhoto.objects.all(), round=round_)  # noqa: E731
    measure(
        f"evidence ZIP, {args.photos:,} photos, streamed", lambda: drain(archive_chunks(items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=["ranking", "data", "evidence"])
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--units", type=int, default=50_000, help="units of the ranking")
    parser.add_argument("--data-units", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=5_000)
    parser.add_argument("--engines", action="store_true", help="XlsxWriter against openpyxl")
    parser.add_argument(
        "--against", type=Path, help="a worktree of main: its ranking workbook in turns with ours"
    )
    parser.add_argument("--full", action="store_true", help="also the year's answers as XLSX")
    args = parser.parse_args()
    args.root = args.root.resolve()
    parts = {"ranking": bench_ranking, "data": bench_data, "evidence": bench_evidence}
    if len(args.parts) > 1:  # one process and one database per part
        flags = [a for a in sys.argv[1:] if a not in parts]
        for part in args.parts:
            subprocess.run([sys.executable, __file__, part, *flags], check=True)
        return
    with throwaway_database("bench_exports") as url, tempfile.TemporaryDirectory() as media:
        setup_django(url, root=args.root, media=media)
        from django.db import connection

        print(f"database: {connection.vendor}", flush=True)
        parts[args.parts[0]](args)


if __name__ == "__main__":
    main()
