"""People: a "Họ và tên" beside Django's user, and one-time invitations to set a password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.vietnamese import person_sort_key, search_key


class Profile(models.Model):
    """What Django's user lacks: the name as Vietnamese write it, and the account's state."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    full_name = models.CharField(_("Họ và tên"), max_length=150)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True, default="")
    search_key = models.CharField(max_length=150, editable=False, default="")
    language = models.CharField(
        _("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    # Set when someone else chose the password: the next sign-in asks for a new one.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    # A confirmed authenticator app: every sign-in then asks for its code.
    two_factor_enabled = models.BooleanField(_("đã bật xác thực hai bước"), default=False)
    # Raised to end every session at once ("đăng xuất mọi nơi", a password change).
    session_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column kept in step with its source, so lists of people sort by given name.
        self.full_name = " ".join(self.full_name.split())
        self.sort_key = person_sort_key(self.full_name)
        self.search_key = search_key(self.full_name)
        if "update_fields" in kwargs and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key", "search_key"}
        super().save(*args, **kwargs)


class Invitation(models.Model):
    """A one-time link to set a first password; only the token's SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được mời"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    # A newer invitation (resent, printed) replaces the older ones of the same person.
    revoked_at = models.DateTimeField(_("đã thay thế lúc"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lời mời")
        verbose_name_plural = _("lời mời")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


def display_name(user: Any) -> str:
    """The person's "Họ và tên" as typed; the username for an account that has none yet."""
    if user is None:
        return ""
    try:
        name: str = user.profile.full_name
    except (AttributeError, models.ObjectDoesNotExist):
        name = ""
    return name or str(getattr(user, "username", ""))
