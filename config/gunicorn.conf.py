"""gunicorn for Công Sở Xanh: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be changed from the environment, like the Django settings.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

# gunicorn reads this file before it imports the app: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from config.logs import gunicorn_logging
from config.settings import LOG_FORMAT


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", os.environ.get("BIND", "127.0.0.1:8000")).split(",")
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
# Threaded workers: an answer's autosave spends most of its time waiting for the database
# (its commit's flush), and with a few threads another request runs in the wait (bench/load.py
# measured 4 threads faster than sync workers). Photo ingest is CPU-bound and gains nothing.
# The worker's heartbeat also runs beside its requests: a sync worker is killed after
# GUNICORN_TIMEOUT whatever it is doing, which cut streamed downloads (the evidence archive,
# a year's answers as CSV) longer than that. Each thread holds its own database connection.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)
# How long a worker may stay silent before it is restarted (with gthread: the worker itself,
# not a request). A 20 MB photo over a slow phone link is buffered by the proxy.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak cannot grow for ever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Every worker imports the app itself: a new release is picked up on HUP, and no database
# connection opened at import time is ever shared between processes.
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'
)
# The app's own format (LOG_FORMAT: one JSON object a line in production) for gunicorn's lines.
logconfig_dict = gunicorn_logging(LOG_FORMAT, loglevel)
# The proxy in front sets X-Forwarded-*; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
