"""Rounds of inspection, who inspects whom, and the stored results and rankings."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from inspections.models.catalogue import ModelVersion
from inspections.models.org import Group, OrgUnit
from inspections.vietnamese import search_key


class Round(models.Model):
    """Đợt kiểm tra: a period using one model version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chuẩn bị")
        OPEN = "open", _("Đang kiểm tra")
        CLOSED = "closed", _("Đã khóa")
        PUBLISHED = "published", _("Đã công bố")

    name = models.CharField(_("tên đợt"), max_length=200)
    version = models.ForeignKey(
        ModelVersion,
        verbose_name=_("phiên bản mô hình"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    search_key = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="round_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The name folded for search, kept in step with the name like a unit's.
        self.search_key = search_key(self.name)
        if "update_fields" in kwargs and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


class Assignment(models.Model):
    """An inspector assigned to inspect one unit in one round."""

    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="assignments"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ kiểm tra"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["round", "unit__sort_key"]
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "inspector"], name="assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.unit} — {self.inspector}"

    @property
    def effective_due_on(self) -> datetime.date:
        return self.due_on or self.round.ends_on


class UnitResult(models.Model):
    """A unit's result in a round (rule 6), recomputed on every approval and revision."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="results"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="results"
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("khối thi đua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score_exact = models.DecimalField(max_digits=22, decimal_places=15, null=True, blank=True)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("xếp loại"), max_length=30, blank=True)
    # Position of the class in the version's order (1 = best): ranking sorts on it in SQL.
    class_order = models.PositiveSmallIntegerField(null=True, blank=True)
    critical_failed = models.BooleanField(default=False)
    # The ★ criteria that failed when they lowered the class to the cap ("giới hạn ở Đạt do A5
    # không đạt"); empty when the score alone gives that class or worse.
    capped_by = models.JSONField(default=list, blank=True)
    enough_basis = models.BooleanField(default=True)
    sections = models.JSONField(default=dict, blank=True)
    inspection_count = models.PositiveSmallIntegerField(default=0)
    provisional = models.BooleanField(_("tạm tính"), default=False)
    # No published rank here: the snapshot rows are its one record (selectors.published_rank).
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả đơn vị")
        verbose_name_plural = _("kết quả đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "round"], name="unitresult_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="unitresult_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["round", "group", "class_order", "-score"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}: {self.score}"


class RankingSnapshotQuerySet(models.QuerySet["RankingSnapshot"]):
    """A round's ranking is read from its latest publication, the one with the highest number;
    these two say so once."""

    def newest_first(self) -> RankingSnapshotQuerySet:
        return self.order_by("-number")

    def latest_of_their_rounds(self) -> RankingSnapshotQuerySet:
        """Only the latest publication of each round."""
        later = RankingSnapshot.objects.filter(
            round_id=OuterRef("round_id"), number__gt=OuterRef("number")
        )
        return self.filter(~Exists(later))


class RankingSnapshot(models.Model):
    """The ranking as published; a republication adds one and keeps the earlier ones."""

    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveSmallIntegerField(_("lần công bố"))
    published_at = models.DateTimeField(_("ngày công bố"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("lý do công bố lại"), blank=True)

    objects = RankingSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-number"]
        verbose_name = _("bảng xếp hạng đã công bố")
        verbose_name_plural = _("bảng xếp hạng đã công bố")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="snapshot_unique_number"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="snapshot_republish_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"


class RankingSnapshotRow(models.Model):
    """One unit's line of a published ranking, as published: read back in one query of plain
    values, in `position` order (groups in their order, then rule 7's order within each)."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    # Plain ids, not foreign keys: a published line outlives any later change to the tree.
    group_id = models.BigIntegerField()
    group_code = models.CharField(max_length=40)
    group_name = models.CharField(max_length=200)
    unit_id = models.BigIntegerField()
    # A join path from a unit to its published lines, with no column and no constraint of its
    # own: the ranking reads the previous round's rank through one LEFT JOIN, not a subquery
    # per unit (selectors.rankings.ranked_units).
    listed_unit = models.ForeignObject(
        OrgUnit,
        on_delete=models.DO_NOTHING,
        from_fields=["unit_id"],
        to_fields=["id"],
        related_name="published_lines",
        null=True,
        editable=False,
        serialize=False,
    )
    unit_code = models.CharField(max_length=40)
    unit_name = models.CharField(max_length=200)
    rank = models.PositiveIntegerField(null=True, blank=True)
    classification = models.CharField(max_length=30, blank=True)
    # The class's names in both languages (a published version never renames its classes).
    classification_name = models.CharField(max_length=100, blank=True)
    classification_name_en = models.CharField(max_length=100, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    provisional = models.BooleanField(default=False)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    movement = models.IntegerField(null=True, blank=True)
    inspectors = models.JSONField(default=list, blank=True)
    capped_by = models.JSONField(default=list, blank=True)
    unranked_reason = models.CharField(max_length=20, blank=True)
    awaiting = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["snapshot", "position"]
        verbose_name = _("dòng bảng xếp hạng đã công bố")
        verbose_name_plural = _("dòng bảng xếp hạng đã công bố")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "position"], name="snapshotrow_unique_position"
            ),
            models.UniqueConstraint(fields=["snapshot", "unit_id"], name="snapshotrow_unique_unit"),
        ]
        indexes = [models.Index(fields=["snapshot", "group_id", "position"])]

    def __str__(self) -> str:
        return f"{self.snapshot} — {self.unit_name}: {self.rank}"
