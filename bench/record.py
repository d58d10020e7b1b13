"""Benchmark: the biên bản of an inspection with 32 criteria and 40 photos (time, peak memory).

    .venv/bin/python bench/record.py [--out record.pdf] [--runs 3]

A throwaway SQLite database and media folder; the visit is built through the services
(tests/documents/scenario.py), then the record is rendered `--runs` times from its stored
data (the first request of a new record does exactly this, then stores the file). Prints
the median and each time, the Python heap's peak (tracemalloc) during one rendering and the
process's peak resident memory, the PDF's size and pages.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = 40


def main() -> None:
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    with tempfile.TemporaryDirectory(prefix="bench-record-") as folder:
        sys.path.insert(0, str(ROOT))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{folder}/media"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        from inspections.documents.record import record_unsigned_pdf
        from inspections.selectors.records import record_data_for, signatures_for
        from tests.documents.poppler import read_pdf
        from tests.documents.scenario import build_visit

        start = time.perf_counter()
        visit = build_visit(total_photos=PHOTOS)
        inspection = visit.inspection
        print(f"set-up: {time.perf_counter() - start:.1f} s")
        criteria = sum(len(s["criteria"]) for s in record_data_for(inspection)["sections"])
        print(f"criteria: {criteria}, photos: {inspection.photos.count()}")

        def render() -> bytes:
            data = record_data_for(inspection)
            signed = signatures_for(inspection, revision=1, covering=data["answers_hash"])
            return record_unsigned_pdf(data, signed)

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times = []
        for _run in range(runs):  # the first one is cold: fonts loaded, templates compiled
            begin = time.perf_counter()
            pdf = render()
            times.append(time.perf_counter() - begin)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        render()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        read = read_pdf(pdf)
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"render: first {times[0]:.2f} s, median {statistics.median(times):.2f} s ({each} s)")
        print(f"peak Python heap during one render (tracemalloc): {peak / 2**20:.1f} MiB")
        print(f"peak resident memory: {rss / 1024:.0f} MiB (after set-up: {rss_before / 1024:.0f})")
        print(f"PDF: {len(pdf) / 1024:.0f} KiB, {read.info['Pages']} pages")
        if out is not None:
            out.write_bytes(pdf)
            print(f"written to {out}")


if __name__ == "__main__":
    main()
