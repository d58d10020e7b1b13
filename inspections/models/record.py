"""The signed inspection record (biên bản kiểm tra): the team, the unit's people present, the
signatures at the visit, the record numbers and the PDF kept for each revision."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.inspection import Inspection
from inspections.models.people import display_name


class TeamMember(models.Model):
    """Thành viên đoàn kiểm tra other than the inspector in charge: sees the inspection, adds
    photos and a note of their own, never answers."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="members", verbose_name=_("phiếu")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_memberships",
        verbose_name=_("thành viên"),
    )
    note = models.TextField(_("ý kiến của thành viên"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "added_at", "id"]
        verbose_name = _("thành viên đoàn kiểm tra")
        verbose_name_plural = _("thành viên đoàn kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="teammember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} — {display_name(self.user)}"


class Representative(models.Model):
    """A person of the inspected unit present at the visit, typed by the inspector there."""

    # The client's id: a phone that sends the same person twice creates one row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("phiếu"),
    )
    name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "added_at", "id"]
        verbose_name = _("đại diện đơn vị")
        verbose_name_plural = _("đại diện đơn vị")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Signature(models.Model):
    """A signature at the visit: drawn on the phone, or "ký trên bản giấy". It covers the
    answers as they were (their hash): a later change leaves it "chưa ký lại"."""

    class Role(models.TextChoices):
        UNIT = "unit", _("Đại diện đơn vị")
        LEAD = "lead", _("Trưởng đoàn kiểm tra")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("phiếu")
    )
    role = models.CharField(_("ký với tư cách"), max_length=10, choices=Role.choices)
    name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    # Strokes of the drawn signature, [[x, y, x, y, …], …] in a 600 × 200 box; empty on paper.
    strokes = models.JSONField(default=list, blank=True)
    on_paper = models.BooleanField(_("ký trên bản giấy"), default=False)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    revision = models.PositiveSmallIntegerField()
    answers_hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "recorded_at", "id"]
        verbose_name = _("chữ ký")
        verbose_name_plural = _("chữ ký")
        constraints = [
            models.CheckConstraint(
                condition=Q(on_paper=True) | ~Q(strokes=[]), name="signature_drawn_or_on_paper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} — {self.get_role_display()} — {self.name}"


class RecordCounter(models.Model):
    """The last record number given by an agency in a year ("Số: 12/BB-KT")."""

    agency = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="recordcounter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last}"


class InspectionRecord(models.Model):
    """The PDF of one revision's record, made once and kept: what was downloaded stays."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="records", verbose_name=_("phiếu")
    )
    revision = models.PositiveSmallIntegerField(_("lần sửa"))
    file = models.FileField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField(default=0)
    digitally_signed = models.BooleanField(_("có chữ ký số"), default=False)
    generated_at = models.DateTimeField(auto_now_add=True)
    first_downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "revision"]
        verbose_name = _("biên bản kiểm tra")
        verbose_name_plural = _("biên bản kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "revision"], name="record_one_per_rev"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} r{self.revision}"
