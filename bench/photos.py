"""Photo ingest budget: a 12-megapixel phone JPEG within 2× vipsthumbnail, under 200 MB peak.

Run from the repository root: `.venv/bin/python bench/photos.py [--runs 7]`.

It makes a photo-like 4000 × 3000 JPEG (gradients, shapes, noise; EXIF orientation 6 and a
GPS position), then, in a fresh subprocess per measurement, runs the whole ingest once
(`process_upload` + `store_processed` into a temporary FileSystemStorage) after a warm-up on
a small photo, and reports: the wall time, the ru_maxrss growth over the warm process, and
the tracemalloc peak of a second ingest (tracemalloc sees Python allocations only; Pillow's
pixel buffers are plain malloc, hence the RSS figure). vipsthumbnail makes the same two
copies (1600 and 320 px, JPEG, from the original) as two commands, timed the same way.
Exits 1 when over budget.

`--heic` measures the same ingest of the same photo as a 12-megapixel HEIC (made with
pillow-heif in 512-pixel tiles, as phones write them; EXIF kept), and how much of it the
decode alone takes (pillow-heif has no reduced-size decode: the ingest decodes the image once
and derives both copies from it). No budget: the figures are for the record.

`--filters` compares Pillow's resampling filters with the ingest's own step (libvips with
Lanczos 3, `inspections/photos._shrunk`, its copies in and out included) for the display
copy: for a 12 MP phone JPEG (decoded at half size, 2000 → 1600 px), a 2048 px upload and a
photographed register (dark text from 12 px, ruled lines), the step's CPU and how far the
copy is, before and after its JPEG at quality 82, from the ideal (the scene downscaled once
with Lanczos), in PSNR. No budget: the figures are for the choice of filter.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIME_BUDGET_RATIO = 2.0
MEMORY_BUDGET_MB = 200.0


def make_photo(path: Path, size: tuple[int, int] = (4000, 3000)) -> None:
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    for i in range(40):  # desks, cabinets, windows: edges a camera would see
        x, y = (i * 997) % width, (i * 613) % height
        colour = ((i * 53) % 256, (i * 97) % 256, (i * 151) % 256)
        draw.rectangle((x, y, x + 300 + i * 7, y + 200 + i * 5), fill=colour)
        draw.ellipse((y % width, x % height, y % width + 250, x % height + 180), outline=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    image = Image.blend(image, noise, 0.25)  # sensor noise: what makes JPEGs of photos heavy
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0132] = "2026:11:20 09:30:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (10.0, 46.0, 30.0), 3: "E", 4: (106.0, 41.0, 12.0)})
    image.save(path, "JPEG", quality=92, exif=exif)


def make_heic(jpeg: Path, path: Path) -> None:
    import pillow_heif
    from PIL import Image

    pillow_heif.options.GRID_TILE_SIZE = 512  # phones write grids of tiles
    with Image.open(jpeg) as image:
        exif = image.getexif().tobytes()
        # x265's fastest preset: making the file is not what is measured
        pillow_heif.from_pillow(image).save(
            path, quality=80, exif=exif, enc_params={"preset": "ultrafast"}
        )


def _font(px: int) -> Any:
    """DejaVu Sans at px, or Pillow's own font where DejaVu is missing: still text."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", px)
    except OSError:
        return ImageFont.load_default(px)


def make_scene(size: tuple[int, int]) -> Any:
    """A sharp scene: small and large text, thin lines, boxes over a gradient, light noise."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(3)
    width, height = size
    scene = Image.linear_gradient("L").resize(size).convert("RGB")
    scene = Image.blend(scene, Image.new("RGB", size, (90, 140, 70)), 0.5)
    draw = ImageDraw.Draw(scene)

    def colour() -> tuple[int, int, int]:
        return rng.randrange(256), rng.randrange(256), rng.randrange(256)

    for _ in range(60):
        font = _font(rng.choice([14, 18, 24, 32, 48, 72]))
        spot = (rng.randrange(width - 900), rng.randrange(height - 80))
        draw.text(spot, "Cơ quan xanh – ngăn nắp, gọn gàng 92,50", font=font, fill=colour())
    for _ in range(200):
        x, y = rng.randrange(width), rng.randrange(height)
        end = (x + rng.randrange(-600, 600), y + rng.randrange(-600, 600))
        draw.line((x, y, *end), fill=colour(), width=rng.choice([1, 2, 3, 5]))
    for _ in range(40):
        x, y, side = rng.randrange(width - 300), rng.randrange(height - 300), rng.randrange(40, 300)
        draw.rectangle((x, y, x + side, y + side), outline=(20, 20, 20), width=2, fill=colour())
    grain = Image.effect_noise(size, 25).convert("RGB")
    return Image.blend(scene, grain, 0.12).filter(ImageFilter.GaussianBlur(0.7))  # the lens


def make_page(size: tuple[int, int]) -> Any:
    """A printed register photographed square-on, without grain: dark lines of text from 12
    to 40 px over ruled paper, the filters' hardest case."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", size, (228, 226, 214))
    draw = ImageDraw.Draw(page)
    line = "Sổ theo dõi hồ sơ – ngăn nắp, gọn gàng 92,50 · 07/12/2026 " * 3
    for band, px in enumerate((12, 16, 20, 28, 40)):
        font = _font(px)
        for row in range(6):
            draw.text((20, 40 + band * 290 + row * (px + 8)), line, font=font, fill=(20, 20, 30))
    for x in range(0, size[0], 64):
        draw.line((x, 0, x + 300, size[1]), fill=(60, 80, 120), width=1)
    return page


def filters(count: int) -> int:
    """Pillow's filters against the ingest's own step (`inspections.photos._shrunk`, libvips
    with Lanczos 3, the copies in and out of libvips included)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(ROOT))
    import django
    from PIL import Image, ImageChops, ImageStat

    django.setup()
    from inspections.photos import _shrunk

    def jpeg(image: Any, quality: int) -> Any:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        return Image.open(io.BytesIO(out.getvalue()))

    def psnr(one: Any, other: Any) -> float:
        squares = ImageStat.Stat(ImageChops.difference(one.convert("RGB"), other)).sum2
        mse = sum(squares) / (3 * one.size[0] * one.size[1])
        return 10 * math.log10(255 * 255 / mse)

    scene = make_scene((4000, 3000))
    ideal = scene.resize((1600, 1200), Image.Resampling.LANCZOS)
    phone = jpeg(scene, 92)
    phone.draft("RGB", (1600, 1200))  # as the ingest decodes it: at half size
    upload = jpeg(scene.resize((2048, 1536), Image.Resampling.LANCZOS), 92)
    page = make_page((2048, 1536))
    for label, source, best in (
        ("12 MP phone JPEG, 2000 → 1600", phone, ideal),
        ("2048 upload, 2048 → 1600", upload, ideal),
        (
            "printed register, 2048 → 1600",
            jpeg(page, 95),
            page.resize((1600, 1200), Image.Resampling.LANCZOS),
        ),
    ):
        source.load()
        print(f"{label} px (median of {count}; PSNR against the ideal copy):")
        steps: list[tuple[str, Callable[[], Any]]] = [
            (name, partial(source.resize, (1600, 1200), getattr(Image.Resampling, name)))
            for name in ("BILINEAR", "HAMMING", "BICUBIC", "LANCZOS")
        ]
        steps.append(("INGEST (libvips, Lanczos 3)", partial(_shrunk, source, 1600)))
        for name, step in steps:
            times = []
            for _ in range(count):
                started = time.process_time()
                copy = step()
                times.append(time.process_time() - started)
            print(
                f"  {name:27} {statistics.median(times) * 1000:5.1f} ms"
                f"  resized {psnr(copy, best):5.2f} dB"
                f"  as the JPEG at 82 {psnr(jpeg(copy, 82), best):5.2f} dB"
            )
    return 0


def decode_once(path: Path) -> float:
    """The HEIC decode alone, in this warm process: the floor under the ingest."""
    from PIL import Image

    started = time.process_time()  # CPU of every thread: libheif decodes tiles in parallel
    with Image.open(path) as image:
        image.load()
    return time.process_time() - started


def measure_one(path: Path) -> dict[str, float]:
    """In this (fresh) process: warm up, then one timed ingest and one traced ingest."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(ROOT))
    import tracemalloc

    import django
    from django.conf import settings

    django.setup()
    media = tempfile.mkdtemp(prefix="bench-photos-")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    from PIL import Image

    from inspections.photos import process_upload, store_processed

    small = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(small, "JPEG")
    store_processed(process_upload(small.getvalue()))  # imports, codecs, storage: warm
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    store_processed(process_upload(data))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    store_processed(process_upload(data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shutil.rmtree(media, ignore_errors=True)
    decode = decode_once(path) if path.suffix == ".heic" else 0.0
    return {
        "decode_cpu_seconds": decode,
        "cpu_seconds": cpu,
        "seconds": elapsed,
        "rss_delta_mb": (after - before) / 1024,  # ru_maxrss is in KiB on Linux
        "rss_peak_mb": after / 1024,
        "tracemalloc_peak_mb": peak / (1024 * 1024),
    }


def vips_once(path: Path, out: Path) -> float:
    started = time.perf_counter()
    for side, name, quality in ((1600, "d.jpg", 82), (320, "t.jpg", 75)):
        subprocess.run(
            ["vipsthumbnail", str(path), "-s", str(side), "-o", f"{out / name}[Q={quality}]"],
            check=True,
        )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--make", help=argparse.SUPPRESS)
    parser.add_argument("--size", default="4000x3000", help=argparse.SUPPRESS)
    parser.add_argument("--heic", action="store_true", help="the same photo as a 12 MP HEIC")
    parser.add_argument("--make-heic", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument(
        "--filters", action="store_true", help="the display copy's resampling filters compared"
    )
    args = parser.parse_args()
    if args.filters:
        return filters(args.runs)
    if args.make:
        width, height = (int(n) for n in args.size.split("x"))
        make_photo(Path(args.make), (width, height))
        return 0
    if args.make_heic:
        make_heic(Path(args.make_heic[0]), Path(args.make_heic[1]))
        return 0
    if args.one:
        print(json.dumps(measure_one(Path(args.one))))
        return 0
    if args.heic:
        return heic(args.runs)
    if not shutil.which("vipsthumbnail"):
        print("vipsthumbnail is missing: apt-get install -y libvips-tools", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    photo = work / "phone.jpg"
    # Made in a child: ru_maxrss survives fork and exec, so this process must stay small.
    subprocess.run([sys.executable, __file__, "--make", str(photo)], check=True)
    version = subprocess.run(["vips", "--version"], capture_output=True, text=True).stdout
    print(f"photo: 4000×3000 JPEG, {photo.stat().st_size / 1e6:.1f} MB; {version.strip()}")
    runs = []
    for _ in range(args.runs):
        result = subprocess.run(
            [sys.executable, __file__, "--one", str(photo)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    vips_out = work / "vips"
    vips_out.mkdir()
    vips_once(photo, vips_out)  # warm the page cache
    vips = statistics.median(vips_once(photo, vips_out) for _ in range(args.runs))
    tiny = work / "tiny.jpg"  # the same two commands on 64 × 48: process start-up alone
    subprocess.run([sys.executable, __file__, "--make", str(tiny), "--size", "64x48"], check=True)
    startup = statistics.median(vips_once(tiny, vips_out) for _ in range(args.runs))
    ours = statistics.median(r["seconds"] for r in runs)
    rss = max(r["rss_delta_mb"] for r in runs)
    traced = max(r["tracemalloc_peak_mb"] for r in runs)
    ratio = ours / vips
    print(f"ingest (validate, orient, hash, 2 copies, store): median {ours * 1000:.0f} ms/photo")
    print(f"vipsthumbnail (1600 + 320, two commands):        median {vips * 1000:.0f} ms/photo")
    print(f"ratio to vipsthumbnail: {ratio:.2f}× (budget {TIME_BUDGET_RATIO}×)")
    print(
        f"vipsthumbnail start-up (same commands on 64×48): {startup * 1000:.0f} ms; "
        f"ratio without it: {ours / max(vips - startup, 1e-6):.2f}×"
    )
    print(
        f"peak memory: ru_maxrss +{rss:.0f} MB over a warm process "
        f"(process peak {max(r['rss_peak_mb'] for r in runs):.0f} MB), "
        f"tracemalloc peak {traced:.0f} MB (budget {MEMORY_BUDGET_MB:.0f} MB)"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ratio <= TIME_BUDGET_RATIO and max(rss, traced) < MEMORY_BUDGET_MB else 1


def runs_of(photo: Path, count: int) -> list[dict[str, float]]:
    runs = []
    for _ in range(count):
        result = subprocess.run(
            [sys.executable, __file__, "--one", str(photo)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return runs


def heic(count: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    jpeg, photo = work / "phone.jpg", work / "phone.heic"
    subprocess.run([sys.executable, __file__, "--make", str(jpeg)], check=True)
    subprocess.run([sys.executable, __file__, "--make-heic", str(jpeg), str(photo)], check=True)
    print(f"photo: 4000×3000 HEIC (512 px tiles), {photo.stat().st_size / 1e6:.1f} MB")
    runs = runs_of(photo, count)
    ours = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_seconds"] for r in runs)
    decode = statistics.median(r["decode_cpu_seconds"] for r in runs)
    print(f"ingest (validate, orient, hash, 2 copies, store): median {ours * 1000:.0f} ms/photo")
    print(f"ingest CPU (every thread):                        median {cpu * 1000:.0f} ms/photo")
    print(f"the decode alone, CPU (Image.open + load):        median {decode * 1000:.0f} ms/photo")
    rss = max(r["rss_delta_mb"] for r in runs)
    print(f"peak memory: ru_maxrss +{rss:.0f} MB over a warm process, runs: {count}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
