"""One FilterSet per list: the API and the web pages filter the same rows the same way.

A list selector takes the user and the query (`request.GET` or DRF's `query_params`), keeps
the rows that user may see, and filters them here; a bad filter is a DomainError naming the
field, so both doors answer it with a 400 from the one error table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from inspections.vietnamese import search_key

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


# Words past this many are ignored: a search is a few words, never a paragraph of joins.
_MAX_WORDS = 6


def words_q(value: str, folded: Sequence[str], plain: Sequence[str] = ()) -> Q:
    """Every word of `value` in one of the fields: `folded` ones hold `search_key` text, so
    "dong hoa" finds "Đông Hòa" on any database; `plain` ones (codes, user names) as typed."""
    found = Q()
    for word in search_key(value).split()[:_MAX_WORDS]:
        any_field = Q()
        for name in folded:
            any_field |= Q(**{f"{name}__contains": word})
        for name in plain:
            any_field |= Q(**{f"{name}__icontains": word})
        found &= any_field
    return found


def search_filter(label: StrOrPromise) -> django_filters.CharFilter:
    return django_filters.CharFilter(method="filter_words", label=label, max_length=100)


class SortFilter(django_filters.OrderingFilter):
    """`sort=unit` or `sort=-unit`, one key; rows that tie keep a fixed order (by id).

    `keys` are (param, model fields, label A→Z, label Z→A): a select can offer both ways."""

    def __init__(self, keys: Sequence[tuple[str, Sequence[str], StrOrPromise, StrOrPromise]]):
        self.keys = {param: list(fields) for param, fields, _up, _down in keys}
        labels: dict[str, StrOrPromise] = {}
        for param, _fields, up, down in keys:
            labels.update({param: up, f"-{param}": down})
        super().__init__(
            fields=[(param, param) for param in self.keys],
            field_labels=labels,
            label=gettext_lazy("Sắp xếp"),
        )

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        wanted = value[0]
        descending = wanted.startswith("-")
        fields = self.keys[wanted.lstrip("-")]
        return qs.order_by(*[f"-{f}" if descending else f for f in fields], "pk")


class UnitFilter(django_filters.FilterSet):
    group = id_filter("group_id", gettext_lazy("Khối thi đua"))
    parent = id_filter("parent_id", gettext_lazy("Đơn vị cấp trên"))
    q = search_filter(gettext_lazy("Tên hoặc mã"))

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        return rows.filter(words_q(value, ["search_key"], ["code"])) if value else rows


_UNIT_SORT = (
    "unit",
    ["unit__sort_key"],
    gettext_lazy("Đơn vị (A–Z)"),
    gettext_lazy("Đơn vị (Z–A)"),
)
_INSPECTOR_SORT = (
    "inspector",
    ["inspector__profile__sort_key", "inspector__username"],
    gettext_lazy("Cán bộ kiểm tra (A–Z)"),
    gettext_lazy("Cán bộ kiểm tra (Z–A)"),
)


class InspectionFilter(django_filters.FilterSet):
    q = search_filter(gettext_lazy("Đơn vị, cán bộ kiểm tra hoặc đợt"))
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
    sort = SortFilter(
        [
            (
                "submitted",
                ["submitted_at"],
                gettext_lazy("Nộp sớm nhất trước"),
                gettext_lazy("Nộp gần nhất trước"),
            ),
            _UNIT_SORT,
            (
                "round",
                ["round__ends_on", "round__search_key"],
                gettext_lazy("Đợt cũ trước"),
                gettext_lazy("Đợt mới trước"),
            ),
            _INSPECTOR_SORT,
            ("score", ["score"], gettext_lazy("Điểm thấp trước"), gettext_lazy("Điểm cao trước")),
        ]
    )

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_words(
        self, rows: QuerySet[Inspection], name: str, value: str
    ) -> QuerySet[Inspection]:
        if not value:
            return rows
        folded = ["unit__search_key", "inspector__profile__search_key", "round__search_key"]
        return rows.filter(words_q(value, folded, ["unit__code", "inspector__username"]))


class RoundFilter(django_filters.FilterSet):
    q = search_filter(gettext_lazy("Tìm đợt theo tên"))
    status = django_filters.ChoiceFilter(
        choices=Round.Status.choices, label=gettext_lazy("Trạng thái")
    )
    year = NumberFilter(
        field_name="ends_on__year", label=gettext_lazy("Năm"), min_value=2000, max_value=2100
    )
    sort = SortFilter(
        [
            (
                "ends",
                ["ends_on"],
                gettext_lazy("Kết thúc sớm trước"),
                gettext_lazy("Kết thúc muộn trước"),
            ),
            ("name", ["search_key"], gettext_lazy("Tên đợt (A–Z)"), gettext_lazy("Tên đợt (Z–A)")),
        ]
    )

    class Meta:
        model = Round
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[Round], name: str, value: str) -> QuerySet[Round]:
        return rows.filter(words_q(value, ["search_key"])) if value else rows


NOT_STARTED = "not_started"


class AssignmentFilter(django_filters.FilterSet):
    """Over assignments annotated with `progress` (the official inspection's state, or
    "not_started") and `due` (their own due date or the round's end): see selectors.rounds."""

    q = search_filter(gettext_lazy("Đơn vị hoặc cán bộ kiểm tra"))
    round = id_filter("round_id", gettext_lazy("Đợt kiểm tra"))
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    group = id_filter("unit__group_id", gettext_lazy("Khối thi đua"))
    inspector = id_filter("inspector_id", gettext_lazy("Cán bộ kiểm tra"))
    state = django_filters.ChoiceFilter(
        field_name="progress",
        choices=[(NOT_STARTED, gettext_lazy("Chưa bắt đầu")), *Inspection.State.choices],
        label=gettext_lazy("Trạng thái"),
    )
    late = django_filters.ChoiceFilter(
        method="filter_late",
        choices=[("1", gettext_lazy("Chỉ phân công quá hạn"))],
        label=gettext_lazy("Quá hạn"),
    )
    sort = SortFilter(
        [
            _UNIT_SORT,
            _INSPECTOR_SORT,
            ("due", ["due"], gettext_lazy("Hạn sớm trước"), gettext_lazy("Hạn muộn trước")),
            (
                "state",
                ["progress_order"],
                gettext_lazy("Chưa bắt đầu trước"),
                gettext_lazy("Đã duyệt trước"),
            ),
        ]
    )

    class Meta:
        model = Assignment
        fields: list[str] = []

    def filter_words(
        self, rows: QuerySet[Assignment], name: str, value: str
    ) -> QuerySet[Assignment]:
        if not value:
            return rows
        folded = ["unit__search_key", "inspector__profile__search_key"]
        return rows.filter(words_q(value, folded, ["unit__code", "inspector__username"]))

    def filter_late(
        self, rows: QuerySet[Assignment], name: str, value: str
    ) -> QuerySet[Assignment]:
        if not value:
            return rows
        finished = [Inspection.State.SUBMITTED, Inspection.State.APPROVED]
        # Annotations of selectors.rounds.with_progress, hence Q (the stubs know only fields).
        return rows.filter(Q(due__lt=timezone.localdate())).exclude(Q(progress__in=finished))


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
        late = CorrectiveAction.overdue_condition()
        if not value:
            return rows
        return rows.filter(late) if value == "1" else rows.exclude(late)


class CommitmentFilter(django_filters.FilterSet):
    q = search_filter(gettext_lazy("Tên hoặc mã đơn vị"))
    unit = id_filter("unit_id", gettext_lazy("Đơn vị"))
    year = NumberFilter(label=gettext_lazy("Năm"), min_value=2000, max_value=2100)

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_words(
        self, rows: QuerySet[Commitment], name: str, value: str
    ) -> QuerySet[Commitment]:
        return rows.filter(words_q(value, ["unit__search_key"], ["unit__code"])) if value else rows


class CommitmentBoardFilter(django_filters.FilterSet):
    """The commitments page: the units of a year, each signed or not (`signed_on` annotated)."""

    q = search_filter(gettext_lazy("Tên hoặc mã đơn vị"))
    group = id_filter("group_id", gettext_lazy("Khối thi đua"))
    signed = django_filters.ChoiceFilter(
        method="filter_signed",
        choices=[("1", gettext_lazy("Đã ký")), ("0", gettext_lazy("Chưa ký"))],
        label=gettext_lazy("Bản cam kết"),
    )
    sort = SortFilter(
        [
            ("unit", ["sort_key"], gettext_lazy("Đơn vị (A–Z)"), gettext_lazy("Đơn vị (Z–A)")),
            ("signed", ["signed_on"], gettext_lazy("Ký sớm trước"), gettext_lazy("Ký muộn trước")),
        ]
    )

    class Meta:
        model = OrgUnit
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        return rows.filter(words_q(value, ["search_key"], ["code"])) if value else rows

    def filter_signed(self, rows: QuerySet[OrgUnit], name: str, value: str) -> QuerySet[OrgUnit]:
        return rows.filter(Q(signed=value == "1")) if value else rows


class PersonFilter(django_filters.FilterSet):
    q = search_filter(gettext_lazy("Họ tên, tên đăng nhập, email hoặc đơn vị"))
    role = django_filters.ChoiceFilter(
        field_name="roles__kind", choices=RoleKind.choices, label=gettext_lazy("Vai trò")
    )
    unit = id_filter("roles__unit_id", gettext_lazy("Đơn vị"))
    active = django_filters.ChoiceFilter(
        method="filter_active",
        choices=[("1", gettext_lazy("Đang hoạt động")), ("0", gettext_lazy("Đã khóa"))],
        label=gettext_lazy("Trạng thái"),
    )
    sort = SortFilter(
        [
            (
                "name",
                ["profile__sort_key", "username"],
                gettext_lazy("Họ và tên (A–Z)"),
                gettext_lazy("Họ và tên (Z–A)"),
            ),
            (
                "username",
                ["username"],
                gettext_lazy("Tên đăng nhập (A–Z)"),
                gettext_lazy("Tên đăng nhập (Z–A)"),
            ),
            (
                "joined",
                ["date_joined"],
                gettext_lazy("Thêm sớm nhất trước"),
                gettext_lazy("Thêm gần nhất trước"),
            ),
        ]
    )

    class Meta:
        model = get_user_model()
        fields: list[str] = []

    def filter_words(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return rows
        folded = ["profile__search_key", "roles__unit__search_key"]
        return rows.filter(words_q(value, folded, ["username", "email"]))

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
