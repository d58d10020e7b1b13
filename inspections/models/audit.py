"""Who did what, when: one row per change of state or edit, written by the services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện (họ và tên)"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=60)
    object_type = models.CharField(_("đối tượng"), max_length=60)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"
