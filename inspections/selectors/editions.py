"""Catalogue editions for Internal Affairs' pages: the list, one edition's outline, the
checklist an inspector would see, and what changed against the edition it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from inspections.models import (
    AnswerType,
    ClassificationLevel,
    Criterion,
    EmulationModel,
    EvidenceKind,
    ModelVersion,
    Section,
)
from inspections.selectors.checklist import CriterionRow, SectionBlock


def edition_list() -> QuerySet[EmulationModel]:
    """Every model with its editions, newest first, and their sizes: three queries."""
    versions = (
        ModelVersion.objects.select_related("based_on")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .annotate(rounds_count=Count("rounds", distinct=True))
        .order_by("-number")
    )
    return EmulationModel.objects.order_by("name").prefetch_related(
        Prefetch("versions", queryset=versions)
    )


@dataclass
class Outline:
    """One edition as its pages show it: the levels, and each section with its criteria."""

    version: ModelVersion
    levels: list[ClassificationLevel]
    sections: list[tuple[Section, list[Criterion]]]

    @property
    def criteria_count(self) -> int:
        return sum(len(criteria) for _section, criteria in self.sections)

    @property
    def total_points(self) -> Decimal:
        return sum((c.max_points for _s, criteria in self.sections for c in criteria), Decimal(0))


def edition_outline(version: ModelVersion) -> Outline:
    """Three queries, whatever the number of criteria."""
    levels = list(version.levels.order_by("order"))
    sections = list(version.sections.order_by("order", "code"))
    by_section: dict[int, list[Criterion]] = {s.pk: [] for s in sections}
    for criterion in version.criteria.order_by("order", "code"):
        by_section.setdefault(criterion.section_id, []).append(criterion)
    return Outline(
        version=version,
        levels=levels,
        sections=[(s, by_section[s.pk]) for s in sections],
    )


def edition_preview(version: ModelVersion) -> list[SectionBlock]:
    """The checklist's sections and rows as an inspector would meet them, with no answers."""
    criteria = Criterion.objects.filter(version=version).select_related("section")
    blocks: dict[int, SectionBlock] = {}
    for criterion in criteria.order_by("section__order", "section__code", "order", "code"):
        block = blocks.setdefault(
            criterion.section_id, SectionBlock(section=criterion.section, rows=[])
        )
        block.rows.append(CriterionRow(criterion=criterion, answer=None))
    return list(blocks.values())


# --- The difference between two editions ----------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class RowDiff:
    """A level, section or criterion: added, removed, or changed field by field."""

    code: str
    title: str
    state: str  # "added", "removed" or "changed"
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class EditionDiff:
    version: ModelVersion
    source: ModelVersion | None
    settings: list[FieldChange] = field(default_factory=list)
    levels: list[RowDiff] = field(default_factory=list)
    sections: list[RowDiff] = field(default_factory=list)
    criteria: list[RowDiff] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.settings or self.levels or self.sections or self.criteria)


def _number(value: Any) -> str:
    number = Decimal(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return number_format(number)


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


def _bands(bands: list[dict[str, str]]) -> str:
    if not bands:
        return "—"
    return "; ".join(
        _("từ %(minimum)s%%: %(points)s điểm")
        % {"minimum": _number(b["minimum"]), "points": _number(b["points"])}
        for b in bands
    )


def _choice(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


# The fields compared, with their labels and how a value is shown.
def _criterion_fields() -> list[tuple[str, str, Any]]:
    return [
        ("section", _("Nhóm"), lambda c: c.section.code),
        ("text", _("Nội dung"), str),
        ("text_en", _("Nội dung tiếng Anh"), str),
        ("guidance", _("Hướng dẫn chấm"), str),
        ("guidance_en", _("Hướng dẫn chấm tiếng Anh"), str),
        ("answer_type", _("Kiểu trả lời"), lambda v: _choice(AnswerType.choices, v)),
        ("max_points", _("Điểm tối đa"), _number),
        ("bands", _("Khung điểm"), _bands),
        ("evidence", _("Minh chứng"), lambda v: _choice(EvidenceKind.choices, v)),
        ("critical", _("Tiêu chí ★"), _yes),
        ("na_allowed", _("Cho phép “không áp dụng”"), _yes),
        ("order", _("Thứ tự"), str),
    ]


def _settings_fields() -> list[tuple[str, str, Any]]:
    return [
        ("title", _("Tiêu đề"), str),
        ("title_en", _("Tiêu đề tiếng Anh"), str),
        ("critical_cap", _("Xếp loại tối đa khi trượt tiêu chí ★"), str),
        (
            "top_class_section_minimum",
            _("Tỷ lệ tối thiểu mỗi nhóm để đạt loại cao nhất (%)"),
            _number,
        ),
        ("applicable_floor", _("Số điểm áp dụng tối thiểu để xếp loại"), _number),
        ("action_due_days", _("Số ngày khắc phục"), str),
    ]


def _compare(old: Any, new: Any, fields: list[tuple[str, str, Any]]) -> list[FieldChange]:
    changes = []
    for name, label, show in fields:
        if name == "section":
            before, after = show(old), show(new)
        else:
            before, after = show(getattr(old, name)), show(getattr(new, name))
        if before != after:
            changes.append(FieldChange(label=label, old=before, new=after))
    return changes


def _rows(
    old: dict[str, Any], new: dict[str, Any], fields: list[tuple[str, str, Any]], title: Any
) -> list[RowDiff]:
    rows = []
    for code, row in new.items():
        if code not in old:
            rows.append(RowDiff(code=code, title=title(row), state="added"))
            continue
        changes = _compare(old[code], row, fields)
        if changes:
            rows.append(RowDiff(code=code, title=title(row), state="changed", changes=changes))
    rows.extend(
        RowDiff(code=code, title=title(row), state="removed")
        for code, row in old.items()
        if code not in new
    )
    return rows


def edition_diff(version: ModelVersion) -> EditionDiff:
    """What changed from the edition this one was copied from: four queries, whatever the
    number of criteria (the source is read with the version)."""
    source = version.based_on
    diff = EditionDiff(version=version, source=source)
    if source is None:
        return diff
    ids = (source.pk, version.pk)
    levels: dict[int, dict[str, ClassificationLevel]] = {pk: {} for pk in ids}
    for level in ClassificationLevel.objects.filter(version_id__in=ids).order_by("order"):
        levels[level.version_id][level.code] = level
    sections: dict[int, dict[str, Section]] = {pk: {} for pk in ids}
    for section in Section.objects.filter(version_id__in=ids).order_by("order", "code"):
        sections[section.version_id][section.code] = section
    criteria: dict[int, dict[str, Criterion]] = {pk: {} for pk in ids}
    rows = Criterion.objects.filter(version_id__in=ids).select_related("section")
    for criterion in rows.order_by("section__order", "order", "code"):
        criteria[criterion.version_id][criterion.code] = criterion
    diff.settings = _compare(source, version, _settings_fields())
    level_fields = [
        ("name", _("Tên"), str),
        ("name_en", _("Tên tiếng Anh"), str),
        ("minimum_score", _("Điểm tối thiểu"), _number),
    ]
    diff.levels = _rows(levels[source.pk], levels[version.pk], level_fields, lambda r: r.name)
    section_fields = [
        ("title", _("Tên"), str),
        ("title_en", _("Tên tiếng Anh"), str),
        ("order", _("Thứ tự"), str),
    ]
    diff.sections = _rows(
        sections[source.pk], sections[version.pk], section_fields, lambda r: r.title
    )
    diff.criteria = _rows(
        criteria[source.pk], criteria[version.pk], _criterion_fields(), lambda r: r.text
    )
    return diff
