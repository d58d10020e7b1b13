"""Reused-evidence detection: false positives among distinct photos, hits on altered copies.

Run from the repository root: `.venv/bin/python bench/reuse.py [--photos 300] [--distance 6]`.

It makes N distinct photo-like pictures with Pillow (gradients at random angles, shapes,
noise), runs each through the real pipeline (`process_upload`, which computes the dHash from
the thumbnail), and prints:
- the false-positive rate: pairs of distinct photos within the distance, and the share of
  photos that would be flagged against at least one other;
- the hit rate on copies: re-encoded (JPEG q=55), resized (50 %), slightly cropped (3 % off
  each side), and all three at once;
- how selective the band index is: the share of stored photos a look-up reads (hashes that
  share a 16-bit band within distance // 4 bits), and a check that every pair within the
  distance is among the candidates (the pigeonhole argument in inspections/selectors.py).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw  # noqa: E402

from inspections.photos import hash_bands, is_distinctive, process_upload  # noqa: E402


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--distance", type=int, default=6)
    args = parser.parse_args()
    distance, radius = args.distance, args.distance // 4
    images = [picture(seed) for seed in range(args.photos)]
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
    for name, count in hits.items():
        spread = sorted(distances[name])
        print(
            f"hit rate, {name:15}: {100 * count / len(images):5.1f} % "
            f"(median {spread[len(spread) // 2]} bits, worst {spread[-1]})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
