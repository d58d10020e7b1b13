"""Load test: N inspectors at once against gunicorn (2 workers) and PostgreSQL, on loopback.

    .venv/bin/python bench/load.py --inspectors 20
    .venv/bin/python bench/load.py --inspectors 50 --photos 4
    .venv/bin/python bench/load.py --national        # 100 inspectors at once
    .venv/bin/python bench/load.py --checkout ../wt-base --database bench_load_base
    .venv/bin/python bench/load.py --cpu             # CPU per kind of request (cpu_wsgi.py)

Each simulated inspector creates an inspection with a client-made id, answers every
criterion (PUT) and uploads photos of its own (multipart POST with client ids), from its own
thread.
A share of requests (--replay, 10 % by default) is sent twice as a flaky network would:
half of them again after the first answer, half at the same moment from a second thread.
Afterwards the database must hold every inspection, answer and photo exactly once, with no
file left behind and no 5xx; the script prints requests per second, p50/p95 latency and the
error count, and exits with status 1 otherwise.

`--national` is a province's field day: 100 inspectors at once (the same work each), which
the figures show as the throughput of the 2 workers and the queueing latency it leaves.

The database `bench_load` (or `--database`) is created (and dropped afterwards) on the
PostgreSQL server of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
which is only used to connect. Media go to a temporary folder. gunicorn runs
config/gunicorn.conf.py with GUNICORN_WORKERS=2 on a free loopback port, DEBUG off, HTTPS off,
throttling raised.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import io
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from throwaway import postgres_database  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_load"


def throwaway_database(url: str, name: str = BENCH_DB) -> Any:
    return postgres_database(url, name)


def server_env(database_url: str, media_root: str) -> dict[str, str]:
    scratch = Path(media_root).parent
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media_root,
        "STATIC_ROOT": str(scratch / "static"),  # WhiteNoise wants one
        "AUTH_CACHE_DIR": str(scratch / "auth-cache"),  # shared by the workers, not the checkout
        "TASKS_SQLITE_PATH": str(scratch / "tasks.sqlite3"),
        # Required with DEBUG off; nothing in this run sends mail (nobody listens there).
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "THROTTLE_USER": "1000000",
        "THROTTLE_ANON": "1000000",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "STORAGE_BACKEND": "local",
    }


def prepare(inspectors: int) -> dict[str, Any]:
    """Catalogue, organisation, an open round, inspectors with assignments and tokens."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from inspections.models import EvidenceKind, Group, OrgUnit, RoleKind, UserRole
    from inspections.services import (
        assignments_create,
        load_reference_catalogue,
        round_create,
        token_issue,
    )

    call_command("migrate", verbosity=0, interactive=False)
    version = load_reference_catalogue()
    users = get_user_model()
    group = Group.objects.create(code="khoi-phuong", name="Khối phường, xã")
    city = OrgUnit.objects.create(code="UBND", name="UBND thành phố")
    noi_vu = OrgUnit.objects.create(code="SNV", name="Sở Nội vụ", parent=city)
    ia = users.objects.create_user("noivu", password=secrets.token_urlsafe(12))
    UserRole.objects.create(user=ia, kind=RoleKind.INTERNAL_AFFAIRS, unit=noi_vu)
    today = datetime.date.today()
    round_ = round_create(
        by=ia,
        name="Đợt kiểm tra thử tải",
        version=version,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=60),
        open_now=True,
    )
    people = []
    for i in range(inspectors):
        unit = OrgUnit.objects.create(
            code=f"P{i:03d}", name=f"Phường số {i:03d}", parent=city, group=group
        )
        user = users.objects.create_user(f"kiemtra{i:03d}", password=secrets.token_urlsafe(12))
        UserRole.objects.create(user=user, kind=RoleKind.INSPECTOR, unit=noi_vu)
        assignments_create(by=ia, round=round_, inspector=user, units=[unit])
        people.append({"token": token_issue(user=user, device="bench")[1], "unit": unit.pk})
    criteria = list(version.criteria.order_by("section__order", "order", "code"))
    return {
        "round": round_.pk,
        "people": people,
        "criteria": [
            (c.code, {"yes_no": True, "level": 4, "percent": 100}[c.answer_type]) for c in criteria
        ],
        "evidence": [c.code for c in criteria if c.evidence != EvidenceKind.NONE],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], cpu_log: Path | None = None) -> Iterator[int]:
    port = free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py"]
    extra = {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    if cpu_log is not None:
        # The checkout's app inside bench/cpu_wsgi.py, which counts each request's CPU.
        command.append("cpu_wsgi:application")
        here = str(Path(__file__).resolve().parent)
        extra |= {"BENCH_CPU_LOG": str(cpu_log), "PYTHONPATH": f"{ROOT}:{here}"}
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**env, **extra},
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/v1/me/")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    sys.exit("gunicorn did not start")
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    replays: int = 0

    def record(self, kind: str, seconds: float, status: int, ok: set[int], what: str) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status not in ok:
                self.unexpected.append(f"{status} {what}")


def photo_bytes(seed: int, side: int) -> bytes:
    """A phone-like photo: noise compresses badly, like a real scene."""
    from PIL import Image

    rng = random.Random(seed)
    small = Image.effect_noise((side // 8, side * 3 // 32), 60).convert("RGB")
    image = small.resize((side, side * 3 // 4), Image.Resampling.BICUBIC)
    image = Image.blend(image, Image.new("RGB", image.size, (rng.randrange(256), 120, 80)), 0.4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def multipart(fields: dict[str, str], data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="anh.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Inspector(threading.Thread):
    def __init__(self, port: int, plan: dict[str, Any], person: dict[str, Any], **kw: Any):
        super().__init__(daemon=True)
        self.port, self.plan, self.person = port, plan, person
        self.tally: Tally = kw["tally"]
        self.replay: float = kw["replay"]
        self.photos: list[bytes] = kw["photos"]
        self.rng = random.Random(kw["seed"])
        self.inspection_id = str(uuid.uuid4())
        self.photo_ids: list[str] = []

    def send(self, kind: str, method: str, path: str, body: bytes, ctype: str, ok: set[int]) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Authorization": f"Token {self.person['token']}", "Content-Type": ctype}
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError as exc:
            status = 599
            path = f"{path} ({exc})"
        finally:
            conn.close()
        self.tally.record(kind, time.perf_counter() - started, status, ok, f"{method} {path}")
        return status

    def flaky(
        self, kind: str, method: str, path: str, body: bytes, ctype: str, ok: set[int]
    ) -> None:
        """Send once, or twice: after the first answer, or at the same moment."""
        roll = self.rng.random()
        if roll >= self.replay:
            self.send(kind, method, path, body, ctype, ok)
            return
        with self.tally.lock:
            self.tally.replays += 1
        if roll < self.replay / 2:
            self.send(kind, method, path, body, ctype, ok)
            self.send(kind, method, path, body, ctype, ok)
            return
        twin = threading.Thread(target=self.send, args=(kind, method, path, body, ctype, ok))
        twin.start()
        self.send(kind, method, path, body, ctype, ok)
        twin.join()

    def run(self) -> None:
        body = {"id": self.inspection_id, "unit": self.person["unit"], "round": self.plan["round"]}
        self.flaky(
            "create",
            "POST",
            "/api/v1/inspections/",
            json.dumps(body).encode(),
            "application/json",
            {200, 201},
        )
        base = f"/api/v1/inspections/{self.inspection_id}"
        for code, value in self.plan["criteria"]:
            answer = json.dumps({"value": value, "note": "", "flagged": False}).encode()
            self.flaky(
                "answer", "PUT", f"{base}/answers/{code}/", answer, "application/json", {200}
            )
        for i, code in enumerate(self.plan["photo_criteria"]):
            photo_id = str(uuid.uuid4())
            self.photo_ids.append(photo_id)
            data, ctype = multipart(
                {"id": photo_id, "criterion": code}, self.photos[i % len(self.photos)]
            )
            self.flaky("photo", "POST", f"{base}/photos/", data, ctype, {200, 201})


def check_database(plan: dict[str, Any], crew: list[Inspector], media_root: Path) -> list[str]:
    """Every inspection, answer and photo stored exactly once, every file referenced."""
    from inspections.models import Answer, EvidencePhoto, Inspection

    problems = []
    ids = {c.inspection_id for c in crew}
    if Inspection.objects.count() != len(crew) or Inspection.objects.filter(
        pk__in=ids
    ).count() != len(crew):
        problems.append(f"inspections: {Inspection.objects.count()} stored for {len(crew)}")
    wanted_answers = len(crew) * len(plan["criteria"])
    answers = Answer.objects.filter(inspection_id__in=ids)
    if answers.count() != wanted_answers or answers.filter(points__isnull=True).exists():
        problems.append(f"answers: {answers.count()} stored, {wanted_answers} expected")
    photo_ids = {p for c in crew for p in c.photo_ids}
    photos = EvidencePhoto.objects.all()
    if photos.count() != len(photo_ids) or photos.filter(pk__in=photo_ids).count() != len(
        photo_ids
    ):
        problems.append(f"photos: {photos.count()} stored, {len(photo_ids)} expected")
    referenced = {
        name
        for row in photos.values_list("original", "display", "thumbnail")
        for name in row
        if name
    }
    on_disk = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
    if on_disk != referenced:
        problems.append(
            f"files: {len(on_disk - referenced)} left behind, {len(referenced - on_disk)} missing"
        )
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(tally: Tally, elapsed: float, inspectors: int) -> None:
    every = [s for values in tally.latencies.values() for s in values]
    errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(f"inspectors: {inspectors}, requests: {len(every)} ({tally.replays} sent twice)")
    print(f"elapsed: {elapsed:.1f} s, throughput: {len(every) / elapsed:.1f} requests/s")
    print(f"latency all: p50 {ms(percentile(every, 0.5))}, p95 {ms(percentile(every, 0.95))}")
    for kind, values in tally.latencies.items():
        print(
            f"  {kind:7} n={len(values):5}  p50 {ms(percentile(values, 0.5)):>8}"
            f"  p95 {ms(percentile(values, 0.95)):>8}  mean {ms(statistics.mean(values)):>8}"
        )
    print(f"statuses: {dict(sorted(tally.statuses.items()))}")
    print(f"errors (5xx or no answer): {errors}; unexpected statuses: {len(tally.unexpected)}")
    for line in tally.unexpected[:10]:
        print(f"  {line}")


def cpu_report(log: Path) -> None:
    """Mean CPU per request kind (the serving thread's, its PostgreSQL backend's) and wall."""
    rows: dict[str, list[float]] = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        kind, *values = json.loads(line)
        row = rows.setdefault(kind, [0, 0.0, 0.0, 0.0])
        for i, value in enumerate(values):
            row[i] += value
    print("CPU per request kind (mean ms: app thread, PostgreSQL backend; wall; total s):")
    for kind, (count, cpu, db, wall) in sorted(rows.items(), key=lambda r: -r[1][1]):
        print(
            f"  {kind[:60]:60} n={count:4.0f}  app {cpu / count * 1000:6.1f}  db"
            f" {db / count * 1000:5.1f}  wall {wall / count * 1000:6.0f}  total {cpu + db:5.1f}"
        )
    count = sum(r[0] for r in rows.values())
    print(
        f"  all: app {sum(r[1] for r in rows.values()):.1f} s,"
        f" db {sum(r[2] for r in rows.values()):.1f} s for {count:.0f} requests"
    )


def main() -> int:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inspectors", type=int, default=20)
    parser.add_argument(
        "--national", action="store_true", help="100 inspectors at once (overrides --inspectors)"
    )
    parser.add_argument("--database", default=BENCH_DB, help="the throwaway database's name")
    parser.add_argument("--photos", type=int, default=3, help="photos per inspector")
    parser.add_argument(
        "--reused-photos",
        action="store_true",
        help="every inspector uploads the same files (each upload then finds every other copy)",
    )
    parser.add_argument("--photo-side", type=int, default=2048, help="longest side, pixels")
    parser.add_argument("--replay", type=float, default=0.10, help="share of requests sent twice")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=ROOT,
        help="serve this checkout's code (e.g. an older commit's worktree) with this workload",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="serve through bench/cpu_wsgi.py: CPU per request kind, in the app and PostgreSQL",
    )
    args = parser.parse_args()
    ROOT = args.checkout.resolve()
    if args.national:
        args.inspectors = 100
    admin_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    sys.path.insert(0, str(ROOT))
    with (
        tempfile.TemporaryDirectory(prefix="bench-load-") as scratch,
        throwaway_database(admin_url, args.database) as url,
    ):
        media = Path(scratch) / "media"
        (Path(scratch) / "static").mkdir()
        env = server_env(url, str(media))
        # This process prepares and checks the same database with the same settings.
        os.environ.update({k: v for k, v in env.items() if not k.startswith("GUNICORN_")})
        plan = prepare(args.inspectors)
        plan["photo_criteria"] = plan["evidence"][: args.photos]
        # Each inspector's own pictures, made before the clock starts: the same file from
        # every phone would be evidence reused across units, which every upload then reports
        # (--reused-photos measures that case).
        shared = [photo_bytes(seed, args.photo_side) for seed in range(args.photos)]
        photos = [
            shared
            if args.reused_photos
            else [photo_bytes(seed, args.photo_side) for seed in range(args.photos)]
            for _ in plan["people"]
        ]
        print(
            f"{len(plan['criteria'])} criteria, {len(plan['photo_criteria'])} photos of "
            f"{len(photos[0][0]) // 1024} KB per inspector; gunicorn with 2 workers, PostgreSQL"
        )
        tally = Tally()
        cpu_log = Path(scratch) / "cpu.jsonl" if args.cpu else None
        with gunicorn(env, cpu_log) as port:
            crew = [
                Inspector(
                    port, plan, person, tally=tally, replay=args.replay, photos=photos[i], seed=i
                )
                for i, person in enumerate(plan["people"])
            ]
            started = time.perf_counter()
            own_cpu = time.process_time()
            for inspector in crew:
                inspector.start()
            for inspector in crew:
                inspector.join()
            elapsed = time.perf_counter() - started
            own_cpu = time.process_time() - own_cpu
        report(tally, elapsed, args.inspectors)
        if cpu_log is not None:
            cpu_report(cpu_log)
        # The generator shares the machine's cores with the server: its own cost, for comparison.
        print(f"load generator CPU while sending: {own_cpu:.1f} s")
        problems = check_database(plan, crew, media)
        print(
            "database: "
            + (
                "; ".join(problems)
                if problems
                else "every inspection, answer and photo stored exactly once, no stray file"
            )
        )
    errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    return 1 if problems or errors or tally.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
