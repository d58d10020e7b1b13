"""API tokens, one per signed-in device (django-rest-knox keeps only a hash of each secret)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

_CREDENTIALS_SALT = "inspections.ApiToken.credentials"


class ApiToken(AbstractAuthToken):
    """knox's token with a public id (the digest stays private), the device it was issued to,
    when it was last used (to the hour: the sliding expiry is written at most once an hour) and
    a fingerprint of the password it was issued under, checked on every request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    device = models.CharField(_("thiết bị"), max_length=100, blank=True)
    last_used = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    credentials = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} — {self.device or self.pk}"


def credentials_of(user: AbstractBaseUser) -> list[str]:
    """Fingerprints of the user's password hash: under SECRET_KEY first, then each of
    SECRET_KEY_FALLBACKS (a rotated key does not sign everybody out). Any change of the
    password, by whatever path, changes them all."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [
        salted_hmac(_CREDENTIALS_SALT, user.password, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]
