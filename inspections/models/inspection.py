"""Phiếu kiểm tra: one checklist of one unit in one round, its answers and its revisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.catalogue import Criterion
from inspections.models.org import Group, OrgUnit
from inspections.models.rounds import Round


class Inspection(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Kiểm tra chính thức")
        SELF = "self", _("Tự đánh giá")

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang chấm")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã duyệt")

    # The client may choose the id (idempotent creates from phones with a poor connection).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    revision = models.PositiveSmallIntegerField(_("lần sửa"), default=1)
    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="inspections"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chấm"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    # What the unit was when the inspection began: later renames and moves do not rewrite it.
    unit_name_snapshot = models.CharField(_("tên đơn vị khi chấm"), max_length=200)
    parent_name_snapshot = models.CharField(max_length=200, blank=True)
    group_snapshot = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    earned_points = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    possible_points = models.DecimalField(max_digits=9, decimal_places=4, default=0)
    score_exact = models.DecimalField(max_digits=22, decimal_places=15, null=True, blank=True)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("xếp loại"), max_length=30, blank=True)
    enough_basis = models.BooleanField(default=True)
    critical_failures = models.JSONField(default=list, blank=True)
    # [{"section": "A", "earned": "27.5", "possible": "30", "exact": "91.6…", "score": "91.67"}]
    section_scores = models.JSONField(default=list, blank=True)
    # Every criterion of the version: [{"code": "A1", "earned": "2.25", "possible": "3",
    # "critical_failed": false}]; earned and possible are null when N/A or unanswered.
    criterion_scores = models.JSONField(default=list, blank=True)

    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    returned_criteria = models.JSONField(default=list, blank=True)
    revision_reason = models.TextField(_("lý do sửa kết quả"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "Số: 12/BB-KT": given once, at the first approval, per agency and year of approval.
    record_agency = models.CharField(max_length=60, blank=True)
    record_year = models.PositiveSmallIntegerField(null=True, blank=True)
    record_number = models.PositiveIntegerField(_("số biên bản"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phiếu kiểm tra")
        verbose_name_plural = _("phiếu kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "inspector", "kind"],
                name="inspection_one_live_per_round_unit_inspector",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="inspection_score_0_100",
            ),
            models.CheckConstraint(
                condition=~(Q(kind="self") & Q(state__in=["approved", "returned"])),
                name="inspection_self_never_approved",
            ),
            models.UniqueConstraint(
                fields=["record_agency", "record_year", "record_number"],
                condition=Q(record_number__isnull=False),
                name="inspection_record_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["round", "unit", "state"])]

    def __str__(self) -> str:
        return f"{self.unit_name_snapshot} — {self.round} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class Answer(models.Model):
    """Kết quả tiêu chí: exactly one of the value columns is set, or N/A, or none (cleared)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    yes_no = models.BooleanField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    flagged = models.BooleanField(_("đề nghị khắc phục"), default=False)
    points = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "criterion"], name="answer_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=4), name="answer_level_0_4"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(number__gte=0) & Q(number__lte=100)),
                name="answer_number_0_100",
            ),
            models.CheckConstraint(
                condition=(
                    Q(yes_no__isnull=True, level__isnull=True, number__isnull=True)
                    | Q(
                        yes_no__isnull=False,
                        level__isnull=True,
                        number__isnull=True,
                        not_applicable=False,
                    )
                    | Q(
                        yes_no__isnull=True,
                        level__isnull=False,
                        number__isnull=True,
                        not_applicable=False,
                    )
                    | Q(
                        yes_no__isnull=True,
                        level__isnull=True,
                        number__isnull=False,
                        not_applicable=False,
                    )
                ),
                name="answer_at_most_one_value",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="answer_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.value}"

    @property
    def value(self) -> object:
        """The answer as the scoring module reads it: bool, int, Decimal, "na" or None."""
        if self.not_applicable:
            return "na"
        if self.yes_no is not None:
            return self.yes_no
        if self.level is not None:
            return self.level
        return self.number

    @property
    def is_answered(self) -> bool:
        return self.value is not None


class InspectionRevision(models.Model):
    """A frozen copy of an approved inspection, kept when Internal Affairs revises it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveSmallIntegerField()
    data = models.JSONField()  # answers, scores and approval of that revision
    reason = models.TextField(_("lý do sửa"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "revision"], name="inspectionrevision_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} r{self.revision}"
