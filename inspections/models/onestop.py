"""The one-stop system's export for a round (chỉ số D1 and D3): one workbook per round, its
dossiers kept row by row so that each unit's rows can be attached as evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from inspections.models.org import OrgUnit
from inspections.models.rounds import Round


class OneStopImport(models.Model):
    round = models.OneToOneField(
        Round, on_delete=models.PROTECT, related_name="onestop_import", verbose_name=_("đợt")
    )
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("số liệu một cửa")
        verbose_name_plural = _("số liệu một cửa")

    def __str__(self) -> str:
        return f"{self.round} — {self.file_name}"


class OneStopDossier(models.Model):
    """One dossier of the export: received, due, resolved (or not yet), and how it was filed."""

    source = models.ForeignKey(OneStopImport, on_delete=models.CASCADE, related_name="dossiers")
    line = models.PositiveIntegerField()  # the workbook's row, to name it back
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=60)
    received_on = models.DateField()
    due_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    online = models.BooleanField()

    class Meta:
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="onestop_dossier_once"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")), name="onestop_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("received_on")),
                name="onestop_resolved_after_received",
            ),
        ]
        indexes = [models.Index(fields=["source", "unit"])]

    def __str__(self) -> str:
        return self.code

    @property
    def on_time(self) -> bool | None:
        return None if self.resolved_on is None else self.resolved_on <= self.due_on
