from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool, env_int, env_list


def test_env_bool_refuses_what_it_does_not_understand(monkeypatch):
    monkeypatch.setenv("DEBUG_TEST", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG_TEST"):
        env_bool("DEBUG_TEST", False)


def test_env_helpers_read_values_and_defaults(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.vn, b.vn,,")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 1) == 42
    assert env_int("X_MISSING", 7) == 7
    assert env_list("X_LIST", []) == ["a.vn", "b.vn"]


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("X_INT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_INT", 1)


def _settings_error(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr


def test_production_without_a_secret_key_fails_loudly():
    assert "SECRET_KEY must be set" in _settings_error(DEBUG="false")


def test_a_database_url_that_is_not_one_fails_loudly():
    assert "DATABASE_URL" in _settings_error(DEBUG="true", DATABASE_URL="nonsense://x")


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_vietnamese_is_the_default_language_and_english_the_second(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
