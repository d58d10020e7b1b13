"""How close to their settings the limits hold with three gunicorn workers and Redis.

    .venv/bin/python bench/limits.py                     # 70 s per limit, Redis
    .venv/bin/python bench/limits.py --seconds 130 --compare

Two limits are hammered, each for --seconds, from --clients threads, every request on its own
connection so that the three workers share the load:
- the per-minute user throttle (THROTTLE_USER=--throttle): GET /api/v1/me/ with one token;
- the sign-in limit per address (LOGIN_RATE_PER_ADDRESS=--login): POST /api/v1/auth/token/
  with a wrong password for a new username each time (one password sprayed), one address.
For each it prints what was let through in the busiest 60-second window (by response time),
per minute from the start, and how each worker shared the load; it exits with status 1 when
the busiest window is more than 10 % away from the setting. --compare runs the same without
REDIS_URL (each worker counting in its own memory) to show what the shared count changes.

The server is tests/production/live_server.py's: a throwaway SQLite database, gunicorn
(config/gunicorn.conf.py) with 3 workers on a free loopback port, and Redis database 14 on
127.0.0.1:6379, flushed before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.production.live_server import (  # noqa: E402
    gunicorn,
    prepare,
    redis_database,
    request,
    server_env,
)

WINDOW = 60.0
TOLERANCE = 0.10


def hammer(send: Callable[[int], int], seconds: float, clients: int) -> list[tuple[float, int]]:
    """(seconds since the start, status) of every answer, from `clients` threads."""
    answers: list[tuple[float, int]] = []
    lock = threading.Lock()
    start = time.monotonic()
    counter = iter(range(10**9))

    def client() -> None:
        while time.monotonic() - start < seconds:
            with lock:
                n = next(counter)
            status = send(n)
            with lock:
                answers.append((time.monotonic() - start, status))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(answers)


def busiest_window(times: list[float]) -> int:
    """The most answers that fall in any WINDOW-second interval."""
    best, first = 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= WINDOW:
            first += 1
        best = max(best, last - first + 1)
    return best


def report(name: str, setting: int, answers: list[tuple[float, int]], seconds: float) -> bool:
    let_through = [t for t, status in answers if status != 429]
    statuses = Counter(status for _t, status in answers)
    busiest = busiest_window(let_through)
    minutes = [
        sum(1 for t in let_through if m * WINDOW <= t < (m + 1) * WINDOW)
        for m in range(int(seconds // WINDOW))
    ]
    off = busiest / setting - 1
    print(
        f"  {name}: setting {setting}/min; busiest 60 s window let {busiest} through "
        f"({off:+.1%}); per full minute from the start {minutes}; "
        f"{len(answers)} requests in {seconds:.0f} s ({len(answers) / seconds:.0f}/s), "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    return abs(off) <= TOLERANCE


def workers_share(log: Path) -> str:
    pids: Counter[int] = Counter()
    for line in log.read_text().splitlines():
        if line.startswith("{") and '"gunicorn.access"' in line:
            pids[int(json.loads(line)["pid"])] += 1
    return ", ".join(f"{count}" for _pid, count in pids.most_common())


def run(args: argparse.Namespace, shared: bool) -> bool:
    folder = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    redis = redis_database(14) if shared else nullcontext(None)
    with redis as redis_url:
        env = server_env(
            folder,
            THROTTLE_USER=str(args.throttle),
            THROTTLE_ANON="1000000",
            LOGIN_RATE_PER_ADDRESS=str(args.login),
            AXES_FAILURE_LIMIT="1000000",  # one password sprayed: no username fails twice
            **({"REDIS_URL": redis_url} if redis_url else {}),
        )
        token = prepare(env, ["lan"])["lan"]
        log = folder / "gunicorn.log"
        with gunicorn(env, log, workers=3) as port:
            me = {"Authorization": f"Token {token}"}

            def throttled(_n: int) -> int:
                return request(port, "GET", "/api/v1/me/", headers=me)[0]

            def sign_in(n: int) -> int:
                body = {"username": f"khach{n}", "password": "mua-he-2026"}
                return request(port, "POST", "/api/v1/auth/token/", body)[0]

            label = "Redis, shared" if shared else "no Redis, per worker"
            print(f"3 gunicorn workers, {label}, {args.clients} clients, {args.seconds:.0f} s each")
            ok = report(
                "user throttle",
                args.throttle,
                hammer(throttled, args.seconds, args.clients),
                args.seconds,
            )
            ok &= report(
                "sign-in limit per address",
                args.login,
                hammer(sign_in, args.seconds, args.clients),
                args.seconds,
            )
            # gunicorn recycles a worker after GUNICORN_MAX_REQUESTS (2000 ± 200): more pids.
            print(f"  requests answered by each worker process: {workers_share(log)}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=70.0)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--throttle", type=int, default=120, help="THROTTLE_USER, per minute")
    parser.add_argument("--login", type=int, default=30, help="LOGIN_RATE_PER_ADDRESS")
    parser.add_argument("--compare", action="store_true", help="also run without Redis")
    args: Any = parser.parse_args()
    ok = run(args, shared=True)
    if args.compare:
        run(args, shared=False)
    print("within 10 % of the settings" if ok else "OUTSIDE 10 % of the settings")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
