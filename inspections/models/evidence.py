"""Evidence and follow-up: photos, corrective actions and their responses, commitments."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models.catalogue import Criterion, EvidenceKind
from inspections.models.inspection import Inspection
from inspections.models.org import OrgUnit


class CorrectiveAction(models.Model):
    """Yêu cầu khắc phục: opened on approval for a failed ★ item or a flagged answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa khắc phục")
        RESPONDED = "responded", _("Đã phản hồi — chờ xác minh")
        VERIFIED = "verified", _("Đã xác nhận")
        REOPENED = "reopened", _("Yêu cầu khắc phục lại")
        SUPERSEDED = "superseded", _("Không còn hiệu lực")

    class Reason(models.TextChoices):
        CRITICAL_FAILED = "critical_failed", _("Không đạt tiêu chí ★")
        FLAGGED = "flagged", _("Cán bộ kiểm tra đề nghị")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="actions", verbose_name=_("phiếu")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="actions", verbose_name=_("tiêu chí")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="actions", verbose_name=_("đơn vị")
    )
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    finding = models.TextField(_("phát hiện"), blank=True)
    due_on = models.DateField(_("hạn khắc phục"))
    opened_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(_("nhận xét xác minh"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("yêu cầu khắc phục")
        verbose_name_plural = _("yêu cầu khắc phục")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "criterion"], name="action_one_per_criterion"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criterion.code} ({self.get_status_display()})"

    @classmethod
    def still_with_unit(cls) -> tuple[str, ...]:
        """The states in which the unit still has to act (open, or reopened after a response)."""
        return (cls.Status.OPEN, cls.Status.REOPENED)

    @classmethod
    def overdue_condition(cls, today: datetime.date | None = None) -> Q:
        """The one rule of "quá hạn": still with the unit after its due date."""
        return Q(status__in=cls.still_with_unit(), due_on__lt=today or timezone.localdate())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in self.still_with_unit() and self.due_on < (
            today or timezone.localdate()
        )

    @property
    def needs_evidence(self) -> bool:
        """A response must carry at least one photo or file: the criterion asks for evidence."""
        return self.criterion.evidence != EvidenceKind.NONE


class ActionResponse(models.Model):
    """The unit's report of a fix: a note, with photos as evidence."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.PROTECT, related_name="responses")
    note = models.TextField(_("nội dung khắc phục"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["action", "created_at"]
        verbose_name = _("báo cáo khắc phục")
        verbose_name_plural = _("báo cáo khắc phục")

    def __str__(self) -> str:
        return f"{self.action} — {self.created_at:%Y-%m-%d}"


class Commitment(models.Model):
    """Bản cam kết: a unit's signed commitment to the movement for a year."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "unit__sort_key"]
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="commitment_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="commitment_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


class EvidencePhoto(models.Model):
    """Ảnh minh chứng: an image or scanned document with exactly one owner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    action_response = models.ForeignKey(
        ActionResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    original = models.FileField(max_length=200, blank=True)
    display = models.FileField(max_length=200, blank=True)
    thumbnail = models.FileField(max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    original_deleted_at = models.DateTimeField(null=True, blank=True)
    # "Make Model" from EXIF; empty when the file says nothing about a camera.
    camera = models.CharField(max_length=120, blank=True)
    # The checks' findings, each {"code": …, and its facts}: see inspections/evidence_checks.py.
    checks = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Difference hash (64 bits, hex) and its four 16-bit bands: a near copy shares a band
    # within one bit, so reuse look-ups probe indexed columns (selectors.reuse_warnings_for).
    dhash = models.CharField(max_length=16, blank=True)
    dhash_band0 = models.IntegerField(null=True, blank=True, db_index=True)
    dhash_band1 = models.IntegerField(null=True, blank=True, db_index=True)
    dhash_band2 = models.IntegerField(null=True, blank=True, db_index=True)
    dhash_band3 = models.IntegerField(null=True, blank=True, db_index=True)
    # Overlays, kept as data over the original (inspections/photo_overlays.py): the copies are
    # rendered from it with them. Shapes: {"kind", "x1", "y1", "x2", "y2", "label"}; regions:
    # {"x", "y", "w", "h"}; fractions (0..1) of the upright picture.
    annotations = models.JSONField(default=list, blank=True)
    annotated_at = models.DateTimeField(null=True, blank=True)
    annotated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    blur_regions = models.JSONField(default=list, blank=True)
    blurred_at = models.DateTimeField(null=True, blank=True)
    blurred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("ảnh minh chứng")
        verbose_name_plural = _("ảnh minh chứng")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        inspection__isnull=False,
                        action_response__isnull=True,
                        commitment__isnull=True,
                    )
                    | Q(
                        inspection__isnull=True,
                        action_response__isnull=False,
                        commitment__isnull=True,
                        criterion__isnull=True,
                    )
                    | Q(
                        inspection__isnull=True,
                        action_response__isnull=True,
                        commitment__isnull=False,
                        criterion__isnull=True,
                    )
                ),
                name="photo_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.content_type})"

    @property
    def copies_version(self) -> str:
        """Changes each time the copies are rendered again ("d-<time>.jpg"), "" before: pages
        add it to the copies' addresses so no browser or offline cache shows an old one."""
        stem = self.display.name.rsplit("/", 1)[-1].split(".", 1)[0] if self.display else ""
        return stem.partition("-")[2]
