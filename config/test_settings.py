"""Test settings: the real settings module, with the few things tests must not pay for."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The test client speaks plain HTTP: no redirect to HTTPS, no secure-only cookies.
os.environ.setdefault("HTTPS", "false")

from config.settings import *  # noqa: F403
from config.settings import CACHES, HUEY, REST_FRAMEWORK

# Hashing demo passwords with PBKDF2 costs seconds per test run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
# Login lockout counts every failed login, the limit per address every attempt; only their
# own tests turn them on.
AXES_ENABLED = False
LOGIN_RATE_PER_ADDRESS = 0
# Tasks run at once, in the test's own process; a consumer a test starts (on Redis) is told
# otherwise through its environment.
HUEY = {**HUEY, "immediate": os.environ.get("TASKS_IMMEDIATE", "true") == "true"}
# Rendering a PDF on every approval (for the worker, for the e-mail) would slow every test;
# the records' tests turn both on.
RECORDS_PREPARE_ON_APPROVAL = False
RECORD_MAIL_MAX_BYTES = 0
# One process: the authentication cache in memory, emptied by the autouse fixture per test.
CACHES = {
    **CACHES,
    "auth": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "csx-auth"},
}
