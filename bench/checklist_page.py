"""Benchmark: the checklist page's first byte, its bytes on the wire, and a first visit's bytes.

    .venv/bin/python bench/checklist_page.py --base /work/wt-pages-base --runs 41

For this checkout, and with --base for another one (a worktree of main, say), in the same
run: a throwaway SQLite database and media folder, the 32-criterion reference model, one
inspector with --inspections open inspections (the first half answered), each with --photos
photos (1024 x 768 noise JPEGs: thumbnails weigh what a real photo's do); collectstatic as in
production; then gunicorn with one sync worker per checkout, production settings, on
loopback. Each checkout's code runs with this checkout's virtualenv.

It prints, per checkout:
- the checklist's time to first byte (status line and headers received) and to the last
  byte, median and quartiles of --runs requests sent alternately to the two servers (after
  3 warm-up requests each), with `Accept-Encoding: gzip` as every browser sends;
- the page's first load on the wire: the HTML as the server sent it, plus every stylesheet
  and script it links as WhiteNoise serves them (budget 60 KB);
- the first visit after sign-in: "Việc của tôi" and what it links, the service worker and
  everything it fetches from /offline/manifest.json; then opening the first checklist (its
  page, and whatever the worker then fetches for it). Bytes are response bodies as sent.

`--profile` prints a cProfile of rendering the checklist 20 times in this process instead.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BUDGET_BYTES = 60 * 1024


def environment(folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        "STATIC_ROOT": f"{folder}/static",
        "MEDIA_ROOT": f"{folder}/media",
        "STORAGE_BACKEND": "local",
        "EMAIL_HOST": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",  # a sync worker, as the figures say (the base has no threads)
        "GUNICORN_LOG_LEVEL": "warning",
        "THROTTLE_USER": "1000000",
        "THROTTLE_ANON": "1000000",
    }


def noise_jpeg(seed: int) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.effect_noise((1024, 768), 40 + seed % 20).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):  # some shapes, so that no two photos look alike
        x, y = (seed * 97 + i * 211) % 900, (seed * 53 + i * 131) % 650
        draw.rectangle((x, y, x + 120, y + 90), fill=((seed * 40 + i * 20) % 255, 120, 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def prepare(tree: Path, inspections: int, photos: int) -> dict[str, Any]:
    """In a child process whose settings come from environment(): the data and a session."""
    sys.path.insert(0, str(tree))
    import datetime

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from inspections import services
    from inspections.models import Criterion, RoleKind
    from tests.factories import Org, OrgUnitFactory, make_user

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    version = services.load_reference_catalogue()
    org = Org.build()
    noivu = make_user("noivu", RoleKind.INTERNAL_AFFAIRS, org.noi_vu)
    inspector = make_user("kiemtra1", RoleKind.INSPECTOR, org.noi_vu)
    today = datetime.date.today()
    round_ = services.round_create(
        by=noivu,
        name="Quý IV/2026",
        version=version,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=60),
        open_now=True,
    )
    units = [org.ward] + [
        OrgUnitFactory(code=f"P{i:02d}", name=f"Phường số {i}", parent=org.city, group=org.wards)
        for i in range(1, inspections)
    ]
    services.assignments_create(by=noivu, round=round_, inspector=inspector, units=units)
    criteria = list(
        Criterion.objects.filter(version=version).order_by("section__order", "order", "code")
    )
    top = {"yes_no": True, "level": 4, "percent": 100}
    made = []
    for n, unit in enumerate(units):
        inspection, _ = services.inspection_create(by=inspector, round=round_, unit=unit)
        made.append(inspection)
        for criterion in criteria[: len(criteria) // 2] if n == 0 else []:
            services.answer_set(
                by=inspector,
                inspection=inspection,
                criterion_code=criterion.code,
                value=top[criterion.answer_type],
                note="Đã kiểm tra tại chỗ",
            )
        for i in range(photos):
            services.photo_attach(
                by=inspector,
                inspection=inspection,
                data=noise_jpeg(n * 1000 + i),
                criterion_code=criteria[i % len(criteria)].code,
            )
    client = Client()
    client.force_login(inspector)
    return {
        "session": client.cookies["sessionid"].value,
        "checklist": f"/phieu/{made[0].pk}/",
        "inspection": str(made[0].pk),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(tree: Path, env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py"],
        cwd=tree,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/sw.js")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    sys.exit(f"gunicorn did not start in {tree}")
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


class Site:
    def __init__(self, name: str, port: int, data: dict[str, Any]) -> None:
        self.name, self.port, self.data = name, port, data

    def get(self, path: str) -> tuple[float, float, int, bytes, dict[str, str]]:
        """(seconds to first byte, seconds to last byte, status, body as sent, headers)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Cookie": f"sessionid={self.data['session']}",
            "Accept-Encoding": "gzip, deflate, br",
            "Accept": "text/html,application/json,*/*",
            "Host": "127.0.0.1",
        }
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first = time.perf_counter() - start
        body = response.read()
        last = time.perf_counter() - start
        conn.close()
        return first, last, response.status, body, {k.lower(): v for k, v in response.getheaders()}


def text_of(body: bytes, headers: dict[str, str]) -> bytes:
    return gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


def page_weight(site: Site) -> dict[str, tuple[int, int]]:
    """What the checklist's first load brings over the wire: (bytes sent, bytes unpacked)."""
    _f, _l, status, body, headers = site.get(site.data["checklist"])
    assert status == 200, status
    html = text_of(body, headers)
    parts = {"HTML": (len(body), len(html))}
    for link in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        path = link.decode()
        if path.endswith((".png", ".ico")):
            continue  # icons: the browser asks only when it shows them
        _f, _l, _s, sent, h = site.get(path)
        parts[path.rsplit("/", 1)[-1]] = (len(sent), len(text_of(sent, h)))
    return parts


def first_visit(site: Site) -> dict[str, int]:
    """Bytes of the first visit and of opening the first checklist, as a phone fetches them."""
    fetched: set[str] = set()
    tally: dict[str, int] = {}

    def fetch(path: str, kind: str) -> bytes:
        _f, _l, status, body, headers = site.get(path)
        fetched.add(urlsplit(path).path)
        tally[kind] = tally.get(kind, 0) + len(body)
        return text_of(body, headers) if status == 200 else b""

    def page(path: str, kind: str) -> None:
        html = fetch(path, kind)
        for link in re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:css|js))"', html):
            if link.decode() not in fetched:
                fetch(link.decode(), "static")

    def worker(query: str = "") -> None:
        manifest = json.loads(fetch(f"/offline/manifest.json{query}", "worker"))
        for kind in ("pages", "static", "thumbnails"):
            for url in manifest.get(kind, []):
                if urlsplit(url).path not in fetched:
                    fetch(url, "thumbnails" if kind == "thumbnails" else f"worker {kind}")

    page("/", "page")
    fetch("/sw.js", "worker")
    worker()  # installing
    worker()  # the page asks once the worker is ready
    tally["first visit"] = sum(tally.values())
    before = tally["first visit"]
    page(site.data["checklist"], "checklist")
    worker(f"?inspection={site.data['inspection']}")
    tally["opening the checklist"] = sum(v for k, v in tally.items() if k != "first visit") - before
    return tally


def quartiles(values: list[float]) -> str:
    q1, _q2, q3 = (v * 1000 for v in statistics.quantiles(values, n=4))
    return f"median {statistics.median(values) * 1000:6.1f} ms (q1 {q1:.1f}, q3 {q3:.1f})"


def profile(inspections: int, photos: int) -> int:
    import cProfile
    import pstats

    folder = tempfile.mkdtemp(prefix="bench-checklist-")
    os.environ.update(environment(folder))
    data = prepare(ROOT, inspections, photos)
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = data["session"]
    client.get(data["checklist"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(data["checklist"])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, help="another checkout to compare (e.g. main)")
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--inspections", type=int, default=3)
    parser.add_argument("--photos", type=int, default=16, help="per inspection")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.prepare, args.inspections, args.photos)))
        return 0
    if args.profile:
        return profile(args.inspections, args.photos)

    trees = [("this", ROOT)] + ([("base", args.base.resolve())] if args.base else [])
    sites: list[Site] = []
    with ExitStack() as stack:
        for name, tree in trees:
            folder = tempfile.mkdtemp(prefix=f"bench-checklist-{name}-")
            env = environment(folder)
            done = subprocess.run(
                [
                    *(sys.executable, __file__, "--prepare", str(tree)),
                    *("--inspections", str(args.inspections), "--photos", str(args.photos)),
                ],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                sys.exit(f"preparing {tree} failed:\n{done.stderr}")
            data = json.loads(done.stdout.strip().splitlines()[-1])
            port = stack.enter_context(gunicorn(tree, env))
            sites.append(Site(f"{name} ({tree})", port, data))

        for site in sites:
            for _ in range(3):
                site.get(site.data["checklist"])
        firsts: dict[str, list[float]] = {s.name: [] for s in sites}
        lasts: dict[str, list[float]] = {s.name: [] for s in sites}
        for run in range(args.runs):
            for site in sites if run % 2 == 0 else reversed(sites):
                first, last, status, _body, _h = site.get(site.data["checklist"])
                assert status == 200, status
                firsts[site.name].append(first)
                lasts[site.name].append(last)

        print(
            f"Checklist of the 32-criterion reference model, 16 answered, {args.photos} photos; "
            f"gunicorn, 1 sync worker, production settings, SQLite; {args.runs} requests each, "
            "alternating:"
        )
        for site in sites:
            print(f"  {site.name}")
            print(f"    first byte {quartiles(firsts[site.name])}")
            print(f"    last byte  {quartiles(lasts[site.name])}")
        if len(sites) == 2:
            a, b = (statistics.median(firsts[s.name]) for s in sites)
            print(f"  first byte: {b / a:.2f}x faster than the base")

        ok = True
        for site in sites:
            parts = page_weight(site)
            total = sum(sent for sent, _raw in parts.values())
            if site is sites[0]:  # the budget judges this checkout; the base is for comparison
                ok = total <= BUDGET_BYTES
            print(f"First load of the checklist on the wire, {site.name}:")
            for name, (sent, raw) in parts.items():
                print(f"  {name:<28} {sent / 1024:7.1f} KB sent ({raw / 1024:.1f} KB unpacked)")
            print(f"  {'total':<28} {total / 1024:7.1f} KB (budget {BUDGET_BYTES // 1024} KB)")

        for site in sites:
            tally = first_visit(site)
            print(
                f"First visit after sign-in ({args.inspections} open inspections, "
                f"{args.photos} photos each), {site.name}:"
            )
            for name, size in tally.items():
                print(f"  {name:<28} {size / 1024:7.1f} KB")
    print(f"{sites[0].name}: " + ("within budget" if ok else "OVER BUDGET"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
