"""The organisation: groups of comparable units, a unit tree of any depth, and user roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.vietnamese import search_key, vietnamese_sort_key


class Group(models.Model):
    """Khối thi đua: units ranked together."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column kept in step with its source, so lists sort in Vietnamese order.
        self.sort_key = vietnamese_sort_key(self.name)
        super().save(*args, **kwargs)


class OrgUnit(models.Model):
    """Cơ quan, đơn vị: a node of the organisation tree, with validity dates."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("khối thi đua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=timezone.localdate)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    # Where the unit is, to check where its evidence was taken (set by Internal Affairs).
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    radius_m = models.PositiveIntegerField(_("bán kính (m)"), null=True, blank=True)
    # "/1/7/42/": the ids from the root down, so "own unit and its descendants" is one prefix query.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=600, editable=False, db_index=True, default="")
    # The name folded for search ("dong hoa" finds "Đông Hòa"), like the sort key.
    search_key = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        ordering = ["sort_key", "code"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="orgunit_position_whole_and_on_earth",
                violation_error_message=_("Vị trí cần cả vĩ độ (−90…90) và kinh độ (−180…180)."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="orgunit_not_its_own_parent",
                violation_error_message=_("Một đơn vị không là cấp trên của chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The sort key follows the name. The path is written once, when the unit is created;
        # after that only `services.units` rewrites it, a whole subtree in one UPDATE, so a
        # stale copy of a unit saved here never undoes a move made meanwhile.
        self.sort_key = vietnamese_sort_key(self.name)
        self.search_key = search_key(self.name)
        if self._state.adding:
            super().save(*args, **kwargs)
            parent_path = "/"
            if self.parent_id is not None:  # read now: the copy in hand may predate a move
                parent_path = OrgUnit.objects.values_list("path", flat=True).get(pk=self.parent_id)
            self.path = f"{parent_path}{self.pk}/"
            OrgUnit.objects.filter(pk=self.pk).update(path=self.path)
            return
        if self.path and self.parent_id != self.parent_id_in_path:
            raise ValueError(
                "OrgUnit.save() does not move a unit: use services.units.unit_move, "
                "which rewrites the paths of the whole subtree."
            )
        fields = kwargs.pop("update_fields", None)
        if fields is None:
            fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
        elif "name" in fields:
            fields = [*fields, "sort_key", "search_key"]
        super().save(*args, update_fields=[f for f in fields if f != "path"], **kwargs)

    @property
    def parent_id_in_path(self) -> int | None:
        """The parent the stored path records: "/1/7/42/" → 7."""
        ids = self.path.strip("/").split("/")
        return int(ids[-2]) if len(ids) > 1 else None

    def is_within(self, ancestor: OrgUnit) -> bool:
        """True when this unit is `ancestor` or one of its descendants."""
        return self.path.startswith(ancestor.path)


class RoleKind(models.TextChoices):
    INSPECTOR = "inspector", _("Cán bộ kiểm tra")
    OFFICE = "office", _("Đơn vị")
    INTERNAL_AFFAIRS = "internal_affairs", _("Phòng Nội vụ")
    LEADER = "leader", _("Lãnh đạo")


class UserRole(models.Model):
    """A role a user holds, tied to the unit it concerns (their own unit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField(_("vai trò"), max_length=20, choices=RoleKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user_roles",
    )

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "unit"], name="userrole_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["leader"]) | Q(unit__isnull=False),
                name="userrole_unit_required_except_leader",
                violation_error_message=_("Vai trò này cần một đơn vị (chỉ lãnh đạo thì không)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.unit or ''}"
