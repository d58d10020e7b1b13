"""The production settings for a live gunicorn in the tests and benchmarks, with a fast password
hasher (PBKDF2 would spend the test's time, not the limits')."""

from __future__ import annotations

import os

# Production refuses to start without an SMTP server; these workers send no mail.
os.environ.setdefault("EMAIL_HOST", "127.0.0.1")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files as they are, without a collectstatic run (a manifest is the deploy's business).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
