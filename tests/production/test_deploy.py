"""The production profile: Django's deployment checks pass, HTTPS is the default."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra: str) -> dict[str, str]:
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "AXES_", "AWS_", "REDIS_", "LOG_", "EMAIL_"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "STORAGE_BACKEND"}
    }
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "congsoxanh.example.vn",
        "HTTPS": "true",
        "EMAIL_HOST": "smtp.example.vn",
        **extra,
    }


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_finds_nothing_to_warn_about_in_the_production_profile() -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_warns_when_limits_would_be_counted_per_worker() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "congsoxanh.W001" in result.stderr + result.stdout


def test_production_settings_follow_the_environment() -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.STORAGES['default']['BACKEND'],"
        " s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        AWS_STORAGE_BUCKET_NAME="anh-minh-chung",
        AXES_FAILURE_LIMIT="7",
        AXES_COOLOFF_TIME="2",
    )
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "storages.backends.s3.S3Storage",
        "7",
        "2:00:00",
    ], result.stderr


def test_a_proxy_header_that_is_not_name_and_value_stops_start_up() -> None:
    result = manage("check", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must look like" in result.stderr
