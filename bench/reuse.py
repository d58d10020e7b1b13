"""Reused-evidence detection: false positives among distinct photos, hits on altered copies,
and the look-up's speed with many stored photos.

Run from the repository root:
`.venv/bin/python bench/reuse.py [--photos 1000000] [--real 300] [--scenes 240] [--distance 6]`
(`--database sqlite` by default, a fresh file in a temporary folder; `--database postgres`
uses DATABASE_URL, which must name a scratch database: its photo table is filled).

1. Speed: `--photos` N stored photos with random hashes, bulk inserted, then the real
   selector (`selectors.evidence.evidence_matches`, the look-up every upload makes, across
   all owners) for 300 new photos: milliseconds per new photo (median, p99), the rows the
   band probe read, and the query plan.
2. It makes `--real` distinct photo-like pictures with Pillow (gradients at random angles, shapes,
noise), runs each through the real pipeline (`process_upload`, which computes the dHash from
the thumbnail), and prints:
- the false-positive rate: pairs of distinct photos within the distance, and the share of
  photos that would be flagged against at least one other;
- the hit rate on copies: re-encoded (JPEG q=55), resized (50 %), slightly cropped (3 % off
  each side), and all three at once;
- how selective the band index is: the share of stored photos a look-up reads (hashes that
  share a 16-bit band within distance // 4 bits), and a check that every pair within the
  distance is among the candidates (the pigeonhole argument in inspections/selectors.py).
3. The false-positive rate on `--scenes` real-looking office photos (rooms drawn with walls,
   floor, window, desks, shelves of binders, plants, lit and framed differently): pairs of
   different rooms within the distance, and pairs of the same room shot again (another visit,
   another angle), which are not reuse either.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
if "--database" not in sys.argv or "sqlite" in sys.argv:  # a scratch file, never db.sqlite3
    _SCRATCH = tempfile.mkdtemp(prefix="reuse-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_SCRATCH}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter  # noqa: E402

from inspections.models import Commitment, EvidencePhoto, OrgUnit  # noqa: E402
from inspections.photos import hash_bands, is_distinctive, process_upload  # noqa: E402
from inspections.selectors.evidence import evidence_matches  # noqa: E402


def picture(seed: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    rng = random.Random(seed)
    channels = [
        Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(size) for _ in range(3)
    ]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(rng.randrange(6, 16)):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 10, width // 2), rng.randrange(height // 10, height // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        shape = rng.choice((draw.rectangle, draw.ellipse))
        shape((x, y, x + w, y + h), fill=colour)
    return Image.blend(image, Image.effect_noise(size, 40).convert("RGB"), 0.1)


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def dhash_of(data: bytes) -> int:
    value = process_upload(data).dhash
    assert value is not None
    return value


def variants(image: Image.Image) -> dict[str, bytes]:
    w, h = image.size
    cropped = image.crop((w * 3 // 100, h * 3 // 100, w * 97 // 100, h * 97 // 100))
    return {
        "re-encoded q55": jpeg(image, 55),
        "resized 50%": jpeg(image.resize((w // 2, h // 2), Image.Resampling.LANCZOS)),
        "cropped 3%": jpeg(cropped),
        "all three": jpeg(cropped.resize((w // 2, h // 2), Image.Resampling.LANCZOS), 55),
    }


def within(a: int, b: int, bits: int) -> bool:
    return (a ^ b).bit_count() <= bits


def band_candidate(a: int, b: int, radius: int) -> bool:
    return any(within(x, y, radius) for x, y in zip(hash_bands(a), hash_bands(b), strict=True))


# --- 1. Speed at scale --------------------------------------------------------------------------


def random_photo(rng: random.Random, owner: Commitment, now: Any) -> EvidencePhoto:
    value = rng.getrandbits(64)
    bands: dict[str, Any] = {f"dhash_band{i}": None for i in range(4)}
    if is_distinctive(value):
        bands = {f"dhash_band{i}": b for i, b in enumerate(hash_bands(value))}
    return EvidencePhoto(
        id=uuid.UUID(int=rng.getrandbits(128)),
        commitment=owner,
        content_type="image/jpeg",
        sha256=f"{rng.getrandbits(256):064x}",
        dhash=f"{value:016x}",
        uploaded_at=now,
        checks=[],
        **bands,
    )


def fill(count: int, owner: Commitment, rng: random.Random) -> float:
    """Rows written straight through the cursor (a model instance per row would take 20
    minutes for a million); the same columns the pipeline writes."""
    started = time.perf_counter()
    template = random_photo(rng, owner, timezone.now())
    fields = list(EvidencePhoto._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {EvidencePhoto._meta.db_table} ({columns}) VALUES ({marks})"
    prepared = {
        f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields
    }
    at = {f.attname: i for i, f in enumerate(fields)}
    base = [prepared[f.attname] for f in fields]
    hex_ids = connection.vendor == "sqlite"  # Django keeps a UUID as 32 hex digits there
    batch = 20_000
    prefix = rng.getrandbits(64) << 64
    with connection.cursor() as cursor:
        indexes = _drop_indexes(cursor)  # built once at the end: a sort, not a million inserts
        for start in range(0, count, batch):
            rows = []
            for n in range(start, min(count, start + batch)):
                row = list(base)
                value = rng.getrandbits(64)
                identifier = uuid.UUID(int=prefix | n)  # ascending: appended to the primary key
                row[at["id"]] = identifier.hex if hex_ids else identifier
                row[at["sha256"]] = f"{rng.getrandbits(256):064x}"
                row[at["dhash"]] = f"{value:016x}"
                distinctive = is_distinctive(value)
                for i, band in enumerate(hash_bands(value)):
                    row[at[f"dhash_band{i}"]] = band if distinctive else None
                rows.append(row)
            cursor.executemany(sql, rows)
        for statement in indexes:
            cursor.execute(statement)
    return time.perf_counter() - started


def _drop_indexes(cursor: Any) -> list[str]:
    """The photo table's secondary indexes, dropped; returns the statements that rebuild them."""
    table = EvidencePhoto._meta.db_table
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
    else:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT LIKE %s",
            [table, "%pkey"],
        )
    found = cursor.fetchall()
    for name, _sql in found:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _name, sql in found]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def speed(stored: int, lookups: int, rng: random.Random) -> None:
    call_command("migrate", verbosity=0)
    units = [OrgUnit.objects.create(code=f"BENCH-{i}", name=f"Đơn vị {i}") for i in range(2)]
    owner, probe_owner = (Commitment.objects.create(unit=u, year=2026) for u in units)
    print(f"database: {connection.vendor}")
    seconds = fill(stored, owner, rng)
    print(f"stored {stored:,} photos with random hashes in {seconds:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inspections_evidencephoto")
    times, read = [], []
    for _ in range(lookups):
        photo = random_photo(rng, probe_owner, timezone.now())
        photo.commitment = probe_owner
        started = time.perf_counter()
        evidence_matches([photo])
        times.append((time.perf_counter() - started) * 1000)
        read.append(len(_band_rows(photo)))
    print(
        f"look-up per new photo ({lookups} new photos, all owners): "
        f"median {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms; "
        f"rows read per look-up: median {percentile(read, 0.5):.0f}, max {max(read)} "
        f"({100 * percentile(read, 0.5) / stored:.3f} % of stored)"
    )
    sample = random_photo(rng, probe_owner, timezone.now())
    plan = (
        EvidencePhoto.objects.filter(_band_condition(sample))
        .order_by()
        .values("pk")
        .explain()
        .splitlines()
    )
    print("query plan of the band probe:")
    for line in plan[:12]:
        print(f"  {line}")


def _band_condition(photo: EvidencePhoto) -> Any:
    from django.db.models import Q

    from inspections.selectors.evidence import _reuse_distance, _within_bits

    condition = Q(sha256=photo.sha256)
    for band in range(4):
        value = getattr(photo, f"dhash_band{band}")
        if value is not None:
            probes = sorted(_within_bits(value, _reuse_distance() // 4))
            condition |= Q(**{f"dhash_band{band}__in": probes})
    return condition


def _band_rows(photo: EvidencePhoto) -> list[Any]:
    return list(EvidencePhoto.objects.filter(_band_condition(photo)).values_list("pk", flat=True))


# --- 2. Distinct pictures and altered copies ------------------------------------------------------


def pictures(count: int, distance: int) -> None:
    radius = distance // 4
    images = [picture(seed) for seed in range(count)]
    hashes = [dhash_of(jpeg(image)) for image in images]
    flat = sum(1 for h in hashes if not is_distinctive(h))
    pairs = list(combinations(range(len(hashes)), 2))
    close = [(i, j) for i, j in pairs if within(hashes[i], hashes[j], distance)]
    flagged = {k for pair in close for k in pair}
    candidates = [(i, j) for i, j in pairs if band_candidate(hashes[i], hashes[j], radius)]
    missed_by_index = [p for p in close if p not in set(candidates)]
    print(f"{len(hashes)} distinct photos, distance ≤ {distance} bits, band probe radius {radius}")
    print(f"non-distinctive hashes (compared by SHA-256 only): {flat}")
    print(
        f"false positives: {len(close)} of {len(pairs)} pairs "
        f"({100 * len(close) / len(pairs):.3f} %); photos flagged: {len(flagged)} "
        f"({100 * len(flagged) / len(hashes):.1f} %)"
    )
    print(
        f"band index: a look-up reads {100 * len(candidates) / len(pairs):.2f} % of stored "
        f"photos; pairs within distance missed by the index: {len(missed_by_index)}"
    )
    hits: dict[str, int] = {}
    distances: dict[str, list[int]] = {}
    for image, original in zip(images, hashes, strict=True):
        for name, data in variants(image).items():
            apart = (dhash_of(data) ^ original).bit_count()
            distances.setdefault(name, []).append(apart)
            hits[name] = hits.get(name, 0) + (apart <= distance)
    for name, count_ in hits.items():
        spread = sorted(distances[name])
        print(
            f"hit rate, {name:15}: {100 * count_ / len(images):5.1f} % "
            f"(median {spread[len(spread) // 2]} bits, worst {spread[-1]})"
        )


# --- 3. Real-looking office scenes ---------------------------------------------------------------

WALLS = [(236, 232, 220), (214, 226, 232), (240, 226, 200), (222, 236, 214), (245, 245, 240)]
FLOORS = [(150, 110, 80), (190, 190, 185), (120, 120, 130), (170, 140, 100)]


def room(seed: int) -> dict[str, Any]:
    """A room's fixed layout: where the window, desks, shelves and plants are."""
    rng = random.Random(seed)
    return {
        "wall": rng.choice(WALLS),
        "floor": rng.choice(FLOORS),
        "horizon": rng.uniform(0.5, 0.68),
        "window": (rng.uniform(0.05, 0.6), rng.uniform(0.08, 0.2), rng.uniform(0.15, 0.3)),
        "desks": [
            (rng.uniform(0.0, 0.75), rng.uniform(0.55, 0.8), rng.uniform(0.2, 0.35))
            for _ in range(rng.randrange(1, 4))
        ],
        "shelves": [
            (rng.uniform(0.0, 0.8), rng.randrange(3, 6)) for _ in range(rng.randrange(0, 3))
        ],
        "plants": [rng.uniform(0.0, 0.95) for _ in range(rng.randrange(0, 3))],
        "poster": rng.random() < 0.5,
        "seed": seed,
    }


def scene(layout: dict[str, Any], shot: int, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """One photo of a room: the camera moved a little, the light and the clutter changed."""
    rng = random.Random(layout["seed"] * 1000 + shot)
    w, h = size
    big = (int(w * 1.2), int(h * 1.2))
    W, H = big
    image = Image.new("RGB", big, layout["wall"])
    draw = ImageDraw.Draw(image)
    horizon = int(H * layout["horizon"])
    draw.rectangle((0, horizon, W, H), fill=layout["floor"])
    x, y, side = layout["window"]
    draw.rectangle(
        (int(W * x), int(H * y), int(W * (x + side)), int(H * (y + side * 0.9))),
        fill=(200, 225, 245),
        outline=(90, 90, 90),
        width=6,
    )
    if layout["poster"]:
        draw.rectangle(
            (int(W * 0.7), int(H * 0.15), int(W * 0.85), int(H * 0.38)), fill=(200, 40, 40)
        )
    for left, level in layout["shelves"]:
        x0, y0 = int(W * left), int(H * 0.2)
        draw.rectangle((x0, y0, x0 + int(W * 0.18), horizon), fill=(110, 80, 50))
        for row in range(level):
            for k in range(rng.randrange(5, 9)):  # binders: how many changes between visits
                colour = rng.choice([(30, 60, 160), (200, 170, 30), (40, 120, 60), (180, 50, 50)])
                bx = x0 + 6 + k * int(W * 0.02)
                by = y0 + 8 + row * int((horizon - y0) / level)
                draw.rectangle(
                    (bx, by, bx + int(W * 0.016), by + int((horizon - y0) / level) - 14),
                    fill=colour,
                )
    for left, top, width in layout["desks"]:
        x0, y0 = int(W * left), int(H * top)
        draw.rectangle((x0, y0, x0 + int(W * width), y0 + int(H * 0.05)), fill=(160, 120, 80))
        draw.rectangle((x0 + 10, y0, x0 + 24, y0 + int(H * 0.22)), fill=(90, 70, 50))
        for _ in range(rng.randrange(0, 4)):  # papers, a monitor, a cup
            px = x0 + rng.randrange(0, max(1, int(W * width) - 60))
            draw.rectangle(
                (px, y0 - rng.randrange(10, 80), px + rng.randrange(20, 70), y0),
                fill=rng.choice([(250, 250, 250), (30, 30, 30), (220, 220, 200)]),
            )
    for left in layout["plants"]:
        x0 = int(W * left)
        draw.ellipse((x0, horizon - int(H * 0.25), x0 + int(W * 0.08), horizon), fill=(40, 130, 50))
        draw.rectangle(
            (x0 + 10, horizon - 20, x0 + int(W * 0.07), horizon + 30), fill=(120, 60, 40)
        )
    dx, dy = rng.randrange(0, W - w), rng.randrange(0, H - h)  # the camera moves
    image = image.crop((dx, dy, dx + w, dy + h)).rotate(
        rng.uniform(-3, 3), fillcolor=layout["wall"]
    )
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.75, 1.2))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2)))
    return Image.blend(image, Image.effect_noise(size, 25).convert("RGB"), 0.06)


def scenes(count: int, distance: int) -> None:
    rooms, shots = max(2, count // 4), 4
    hashes: list[tuple[int, int]] = []
    for r in range(rooms):
        layout = room(r)
        for s in range(shots):
            hashes.append((r, dhash_of(jpeg(scene(layout, s)))))
    pairs = list(combinations(range(len(hashes)), 2))
    other = [(i, j) for i, j in pairs if hashes[i][0] != hashes[j][0]]
    same = [(i, j) for i, j in pairs if hashes[i][0] == hashes[j][0]]
    close_other = [p for p in other if within(hashes[p[0]][1], hashes[p[1]][1], distance)]
    close_same = [p for p in same if within(hashes[p[0]][1], hashes[p[1]][1], distance)]
    flagged = {k for pair in close_other + close_same for k in pair}
    flat = sum(1 for _, h in hashes if not is_distinctive(h))
    print(
        f"{len(hashes)} office scenes ({rooms} rooms × {shots} shots), distance ≤ {distance} bits; "
        f"non-distinctive hashes: {flat}"
    )
    print(
        f"false positives, different rooms: {len(close_other)} of {len(other)} pairs "
        f"({100 * len(close_other) / max(1, len(other)):.3f} %)"
    )
    print(
        f"false positives, the same room shot again: {len(close_same)} of {len(same)} pairs "
        f"({100 * len(close_same) / max(1, len(same)):.2f} %)"
    )
    print(
        f"photos flagged against at least one other: {len(flagged)} "
        f"({100 * len(flagged) / len(hashes):.1f} %)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100_000, help="stored photos (speed)")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--real", type=int, default=300, help="photo-like pictures")
    parser.add_argument("--scenes", type=int, default=240, help="office scenes")
    parser.add_argument("--distance", type=int, default=6)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    rng = random.Random(2026)
    if args.photos:
        speed(args.photos, args.lookups, rng)
    if args.scenes:
        scenes(args.scenes, args.distance)
    if args.real:
        pictures(args.real, args.distance)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        if "_SCRATCH" in globals():
            connection.close()
            shutil.rmtree(_SCRATCH, ignore_errors=True)
