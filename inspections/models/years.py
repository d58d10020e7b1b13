"""The year's result: its policy (rules as data), the published results, and the commendation
proposals Internal Affairs adds or removes by hand."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.errors import DomainError, Problem
from inspections.models.org import Group, OrgUnit


class PublishedYearFrozen(DomainError):
    """Raised by the models, so no path (admin, shell, a careless service) changes a year whose
    result is published: like a published model version."""

    def __init__(self) -> None:
        super().__init__(
            gettext("Kết quả năm đã công bố: quy tắc và kết quả của năm không sửa được nữa."),
            problem=Problem.WRONG_STATE,
            code="year_published",
        )


class YearPolicyQuerySet(models.QuerySet["YearPolicy"]):
    """Bulk writes refuse published years (`save()` and `delete()` check one row)."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=YearPolicy.Status.PUBLISHED).exists():
            raise PublishedYearFrozen
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=YearPolicy.Status.PUBLISHED).exists():
            raise PublishedYearFrozen
        return super().delete()


class YearPolicy(models.Model):
    """Quy tắc tổng hợp kết quả năm: how a year's rounds make the year's result, and who is
    proposed for commendation. Editable until the year's result is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa công bố")
        PUBLISHED = "published", _("Đã công bố")

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    minimum_rounds = models.PositiveSmallIntegerField(_("số đợt tối thiểu để xếp loại"), default=2)
    # [{"code", "name", "name_en", "minimum_score"}], best first; scores as text ("90.00").
    classes = models.JSONField(_("mức xếp loại năm"), default=list)
    critical_cap = models.CharField(
        _("xếp loại tối đa khi có tiêu chí ★ không đạt"), max_length=30, blank=True
    )
    propose_classes = models.JSONField(_("xếp loại được đề nghị khen thưởng"), default=list)
    require_no_critical = models.BooleanField(_("không có tiêu chí ★ không đạt"), default=True)
    require_actions_verified = models.BooleanField(
        _("mọi yêu cầu khắc phục đã được xác nhận"), default=True
    )
    require_commitment = models.BooleanField(_("đã nộp bản cam kết của năm"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = YearPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("quy tắc kết quả năm")
        verbose_name_plural = _("quy tắc kết quả năm")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="yearpolicy_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(minimum_rounds__gte=1), name="yearpolicy_minimum_rounds_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="yearpolicy_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        ):
            raise PublishedYearFrozen
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if (
            self.pk is not None
            and type(self)._base_manager.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()
        ):
            raise PublishedYearFrozen
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class YearResultQuerySet(models.QuerySet["YearResult"]):
    """Published results are written once, when the year is published, and never changed."""

    def update(self, **kwargs: Any) -> int:
        raise PublishedYearFrozen

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedYearFrozen


class YearResult(models.Model):
    """A unit's published result of a year, as the year's ranking stood when it was published."""

    policy = models.ForeignKey(
        YearPolicy, on_delete=models.PROTECT, related_name="results", verbose_name=_("năm")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="year_results", verbose_name=_("đơn vị")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("khối thi đua")
    )
    score_exact = models.DecimalField(max_digits=22, decimal_places=15, null=True, blank=True)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("xếp loại"), max_length=30, blank=True)
    round_count = models.PositiveSmallIntegerField(_("số đợt được tính"), default=0)
    critical_failed = models.BooleanField(default=False)
    capped = models.BooleanField(default=False)
    unranked_reason = models.CharField(max_length=30, blank=True)
    rank = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    # {"<round id>": "87.50"}: the rounded score of each round that counted.
    rounds = models.JSONField(default=dict, blank=True)

    objects = YearResultQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "group", "rank", "unit__sort_key"]
        verbose_name = _("kết quả năm của đơn vị")
        verbose_name_plural = _("kết quả năm của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["policy", "unit"], name="yearresult_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="yearresult_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.policy}: {self.score}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PublishedYearFrozen
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedYearFrozen


class ProposalDecision(models.Model):
    """Internal Affairs' own word on a unit's proposal, against what the criteria say."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    proposed = models.BooleanField(_("đề nghị khen thưởng"))
    reason = models.TextField(_("lý do"))
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "unit__sort_key"]
        verbose_name = _("quyết định đề nghị khen thưởng")
        verbose_name_plural = _("quyết định đề nghị khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="proposaldecision_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="proposaldecision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}: {self.proposed}"
