"""A streamed download longer than GUNICORN_TIMEOUT reaches its end: the evidence archive of a
large round, a year's answers as CSV. With sync workers gunicorn restarted the worker in the
middle of it; config/gunicorn.conf.py runs threaded workers, whose heartbeat does not wait."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SLOW_APP = """
import time
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    for part in range(5):
        time.sleep(1)
        yield b"%d\\n" % part
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_download_longer_than_the_worker_timeout_is_sent_whole(tmp_path: Path) -> None:
    (tmp_path / "slow_download.py").write_text(SLOW_APP)
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": "2",  # the download takes 5 s
    }
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "config/gunicorn.conf.py")]
    server = subprocess.Popen(
        [*command, "--chdir", str(tmp_path), "slow_download:app"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            body = response.read()
        assert body == b"0\n1\n2\n3\n4\n"
    finally:
        server.terminate()
        server.wait(timeout=30)
