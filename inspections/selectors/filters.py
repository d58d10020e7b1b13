"""One FilterSet per list: the API and the web pages filter the same rows the same way.

A list selector takes the user and the query (`request.GET` or DRF's `query_params`), keeps
the rows that user may see, and filters them here; a bad filter is a DomainError naming the
field, so both doors answer it with a 400 from the one error table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from inspections.errors import DomainError
from inspections.models import (
    Assignment,
    Category,
    Commitment,
    CorrectiveAction,
    Inspection,
    Notification,
    OrgUnit,
    RoleKind,
    Round,
)
from inspections.numbers import MAX_ID

M = TypeVar("M", bound=Model)


class AsciiIntegerField(forms.IntegerField):
    """A whole number written in ASCII digits: Python's int() would read "²" or "١" too."""

    default_error_messages = {"invalid": gettext_lazy("Hãy nhập một số nguyên bằng chữ số 0–9.")}

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class NumberFilter(django_filters.NumberFilter):
    field_class = AsciiIntegerField


def id_filter(field_name: str, label: StrOrPromise) -> NumberFilter:
    return NumberFilter(field_name=field_name, label=label, min_value=1, max_value=MAX_ID)


class UnitFilter(django_filters.FilterSet):
    group = id_filter("group_id", gettext_lazy("Khối thi đua"))
    parent = id_filter("parent_id", gettext_lazy("Đơn vị cấp trên"))
    q = django_filters.CharFilter(
        method="filter_words", label=gettext_lazy("Tên hoặc mã"), max_length=100
    )

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        return rows.filter(Q(name__icontains=value) | Q(code__icontains=value)) if value else rows


class InspectionFilter(django_filters.FilterSet):
    round = id_filter("round_id", gettext_lazy("Đợt kiểm tra"))
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    group = id_filter("unit__group_id", gettext_lazy("Khối thi đua"))
    inspector = id_filter("inspector_id", gettext_lazy("Cán bộ kiểm tra"))
    status = django_filters.ChoiceFilter(
        field_name="state", choices=Inspection.State.choices, label=gettext_lazy("Trạng thái")
    )
    kind = django_filters.ChoiceFilter(
        choices=Inspection.Kind.choices, label=gettext_lazy("Loại phiếu")
    )

    class Meta:
        model = Inspection
        fields: list[str] = []


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Round.Status.choices, label=gettext_lazy("Trạng thái")
    )

    class Meta:
        model = Round
        fields: list[str] = []


class AssignmentFilter(django_filters.FilterSet):
    round = id_filter("round_id", gettext_lazy("Đợt kiểm tra"))
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    inspector = id_filter("inspector_id", gettext_lazy("Cán bộ kiểm tra"))

    class Meta:
        model = Assignment
        fields: list[str] = []


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CorrectiveAction.Status.choices, label=gettext_lazy("Trạng thái")
    )
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    round = id_filter("inspection__round_id", gettext_lazy("Đợt kiểm tra"))
    overdue = django_filters.ChoiceFilter(
        method="filter_overdue",
        choices=[("1", gettext_lazy("Quá hạn")), ("0", gettext_lazy("Chưa quá hạn"))],
        label=gettext_lazy("Quá hạn"),
    )
    due_after = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label=gettext_lazy("Hạn từ ngày")
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=gettext_lazy("Hạn đến ngày")
    )

    class Meta:
        model = CorrectiveAction
        fields: list[str] = []

    def filter_overdue(
        self, rows: QuerySet[CorrectiveAction], name: str, value: str
    ) -> QuerySet[CorrectiveAction]:
        """Still with the unit (open, reopened) after its due date, or not."""
        late = Q(
            status__in=[CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REOPENED],
            due_on__lt=timezone.localdate(),
        )
        if not value:
            return rows
        return rows.filter(late) if value == "1" else rows.exclude(late)


class CommitmentFilter(django_filters.FilterSet):
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    year = NumberFilter(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)

    class Meta:
        model = Commitment
        fields: list[str] = []


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_words",
        label=gettext_lazy("Họ tên, tên đăng nhập hoặc email"),
        max_length=100,
    )
    role = django_filters.ChoiceFilter(
        field_name="roles__kind", choices=RoleKind.choices, label=gettext_lazy("Vai trò")
    )
    unit = id_filter("roles__unit_id", gettext_lazy("Đơn vị"))
    active = django_filters.ChoiceFilter(
        method="filter_active",
        choices=[("1", gettext_lazy("Đang hoạt động")), ("0", gettext_lazy("Đã khóa"))],
        label=gettext_lazy("Trạng thái"),
    )

    class Meta:
        model = get_user_model()
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return rows
        return rows.filter(
            Q(profile__full_name__icontains=value)
            | Q(username__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_active(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return rows.filter(is_active=value == "1") if value else rows


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        label=gettext_lazy("Chưa đọc"),
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=gettext_lazy("Nhóm"))

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(
        self, rows: QuerySet[Notification], name: str, value: str
    ) -> QuerySet[Notification]:
        return rows.filter(read_at__isnull=value == "true")


def filtered(
    filterset: type[django_filters.FilterSet],
    query: Mapping[str, Any] | None,
    rows: QuerySet[M],
) -> QuerySet[M]:
    """`rows` narrowed by the filters named in `query`; other parameters are not ours."""
    wanted = {name: query[name] for name in filterset.base_filters if query and name in query}
    found = filterset(wanted or None, queryset=rows)
    if wanted and not found.is_valid():
        raise DomainError(
            _("Bộ lọc không hợp lệ."),
            fields={name: [str(m) for m in found.errors[name]] for name in found.errors},
            code="invalid_filter",
        )
    result: QuerySet[M] = found.qs
    return result
