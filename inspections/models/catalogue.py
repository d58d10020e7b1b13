"""The emulation model: versioned, weighted criteria catalogues with classification rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from inspections.errors import DomainError, Problem


def in_language(vi: str, en: str) -> str:
    """The English text on English pages when there is one; Vietnamese otherwise."""
    return en if en and (get_language() or "vi").startswith("en") else vi


class PublishedVersionFrozen(DomainError):
    """Raised by the models themselves, so that no path (admin, shell, a careless service)
    changes a published version or anything under it. PostgreSQL keeps the same rule with
    triggers (migration 0003), for raw SQL too."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Phiên bản mô hình đã ban hành là bất biến: không thêm, sửa hay xóa được "
                "tiêu chí, nhóm tiêu chí hay mức xếp loại của nó. Hãy tạo một bản nháp mới."
            ),
            problem=Problem.WRONG_STATE,
            code="version_frozen",
        )


_PUBLISHED = "published"


class FrozenVersionQuerySet(models.QuerySet["ModelVersion"]):
    """Bulk writes refuse published versions (`save()` and `delete()` check one row)."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=_PUBLISHED).exists():
            raise PublishedVersionFrozen
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=_PUBLISHED).exists():
            raise PublishedVersionFrozen
        return super().delete()


RowT = TypeVar("RowT", bound=models.Model)


class FrozenRowQuerySet(models.QuerySet[RowT]):
    """Levels, sections and criteria: no bulk write touches a row of a published version."""

    def _refuse_published(self) -> None:
        if self.filter(version__status=_PUBLISHED).exists():
            raise PublishedVersionFrozen

    def update(self, **kwargs: Any) -> int:
        self._refuse_published()
        if "version" in kwargs or "version_id" in kwargs:
            target = kwargs.get("version_id", kwargs.get("version"))
            _refuse_if_published(getattr(target, "pk", target))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_published()
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        # Checked before Django's own transaction opens, so a refusal leaves it usable.
        objs = list(objs)
        stored = self.model._base_manager.filter(pk__in=[o.pk for o in objs]).values("version_id")
        touched = Q(pk__in=stored) | Q(pk__in={getattr(o, "version_id", None) for o in objs})
        if _published().filter(touched).exists():
            raise PublishedVersionFrozen
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[RowT]:
        objs = list(objs)
        for version_id in {getattr(obj, "version_id", None) for obj in objs}:
            _refuse_if_published(version_id)
        return super().bulk_create(objs, *args, **kwargs)


def _refuse_if_published(version_id: int | None) -> None:
    if version_id is not None and _published().filter(pk=version_id).exists():
        raise PublishedVersionFrozen


def _published() -> models.QuerySet[ModelVersion]:
    return ModelVersion._base_manager.filter(status=_PUBLISHED)


class FrozenWhenPublished(models.Model):
    """A row under a model version: it cannot be added, changed or removed once published."""

    version_id: int

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        touched = Q(pk=self.version_id)
        if self.pk is not None:  # the version it is stored under, in case it is being moved
            rows: Any = type(self)._base_manager  # the concrete model's, which has `version`
            stored = rows.filter(pk=self.pk).values("version_id")
            touched |= Q(pk__in=stored)
        if _published().filter(touched).exists():
            raise PublishedVersionFrozen
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_if_published(self.version_id)
        return super().delete(*args, **kwargs)


class EmulationModel(models.Model):
    """Mô hình thi đua: a movement's catalogue, across its versions."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mô hình thi đua")
        verbose_name_plural = _("mô hình thi đua")

    def __str__(self) -> str:
        return self.name


class ModelVersion(models.Model):
    """One edition of a model; frozen for ever once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã ban hành")

    model = models.ForeignKey(
        EmulationModel, verbose_name=_("mô hình"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("số phiên bản"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived_versions",
    )
    critical_cap = models.CharField(
        _("xếp loại tối đa khi trượt tiêu chí ★"), max_length=30, default="dat"
    )
    top_class_section_minimum = models.DecimalField(
        _("tỷ lệ tối thiểu mỗi nhóm để đạt loại cao nhất (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
    )
    applicable_floor = models.DecimalField(
        _("số điểm áp dụng tối thiểu để xếp loại"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("70"),
    )
    action_due_days = models.PositiveSmallIntegerField(
        _("số ngày khắc phục"), default=14, validators=[MinValueValidator(1)]
    )

    objects = FrozenVersionQuerySet.as_manager()

    class Meta:
        ordering = ["model", "-number"]
        verbose_name = _("phiên bản mô hình")
        verbose_name_plural = _("phiên bản mô hình")
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="modelversion_unique_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="modelversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Publishing flips a stored draft; a stored published version never changes again.
        if self.pk is not None and self._stored_is_published():
            raise PublishedVersionFrozen
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_is_published():
            raise PublishedVersionFrozen
        return super().delete(*args, **kwargs)

    def _stored_is_published(self) -> bool:
        return _published().filter(pk=self.pk).exists()

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)


class ClassificationLevel(FrozenWhenPublished):
    """Xếp loại: a class and the lowest rounded score that earns it, best first by `order`."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("phiên bản")
    )
    code = models.SlugField(_("mã"), max_length=30)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    minimum_score = models.DecimalField(_("điểm tối thiểu"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("thứ tự (1 = cao nhất)"))

    objects = FrozenRowQuerySet["ClassificationLevel"].as_manager()

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="level_unique_code"),
            models.UniqueConstraint(fields=["version", "order"], name="level_unique_order"),
            models.CheckConstraint(
                condition=Q(minimum_score__gte=0) & Q(minimum_score__lte=100),
                name="level_minimum_score_0_100",
                violation_error_message=_("Điểm tối thiểu phải nằm trong 0–100."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Section(FrozenWhenPublished):
    """Nhóm tiêu chí."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("phiên bản")
    )
    code = models.CharField(_("mã"), max_length=10)
    title = models.CharField(_("tên"), max_length=300)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = FrozenRowQuerySet["Section"].as_manager()

    class Meta:
        ordering = ["version", "order", "code"]
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="section_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.display_title}"

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Đạt / Không đạt")
    LEVEL = "level", _("Mức 0–4")
    PERCENT = "percent", _("Tỷ lệ % theo khung")


class EvidenceKind(models.TextChoices):
    NONE = "none", _("Không yêu cầu")
    PHOTO = "photo", _("Ảnh chụp")
    DOCUMENT = "doc", _("Tài liệu (ảnh hoặc PDF)")


class Criterion(FrozenWhenPublished):
    """Tiêu chí: one item of the checklist."""

    version = models.ForeignKey(
        ModelVersion,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("phiên bản"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("nhóm")
    )
    code = models.CharField(_("mã"), max_length=10)
    text = models.TextField(_("nội dung"))
    text_en = models.TextField(_("nội dung tiếng Anh"), blank=True)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    guidance_en = models.TextField(_("hướng dẫn chấm tiếng Anh"), blank=True)
    answer_type = models.CharField(_("kiểu trả lời"), max_length=20, choices=AnswerType.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    # For percent criteria: [{"minimum": "98", "points": "4.5"}, …] (strings keep Decimals exact).
    bands = models.JSONField(_("khung điểm"), default=list, blank=True)
    evidence = models.CharField(
        _("minh chứng"), max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.NONE
    )
    critical = models.BooleanField(_("tiêu chí ★"), default=False)
    na_allowed = models.BooleanField(_("cho phép “không áp dụng”"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = FrozenRowQuerySet["Criterion"].as_manager()

    class Meta:
        ordering = ["version", "section__order", "order", "code"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="criterion_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criterion_points_positive",
                violation_error_message=_("Điểm tối đa phải dương."),
            ),
            models.CheckConstraint(
                condition=~(Q(critical=True) & Q(na_allowed=True)),
                name="criterion_critical_never_na",
                violation_error_message=_("Tiêu chí ★ không được cho phép “không áp dụng”."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.display_text}"

    @property
    def display_text(self) -> str:
        return in_language(self.text, self.text_en)

    @property
    def display_guidance(self) -> str:
        return in_language(self.guidance, self.guidance_en)
