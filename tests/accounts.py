"""Signing a test client in as anyone, verified for two-factor when the account needs it."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections import policies


def totp_device(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator, made on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now, from the shared secret."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(user: Any, client: Client | None = None) -> Client:
    """A client with this user's session; a second factor already given where it is needed."""
    client = client or Client()
    client.force_login(user)
    if policies.needs_verification(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client
