"""Editing a catalogue edition on pages: its classification rules, its sections, one criterion
with its bands, and every criterion at once from a workbook. Each writes through the draft
services (`services.drafts`), so a published edition is refused here as everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspections.catalogue_workbook import plan_criteria
from inspections.errors import DomainError
from inspections.models import ClassificationLevel, Criterion, ModelVersion, Section
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.common import checked, model_update, require_configurer
from inspections.services.drafts import _lock_draft, catalogue_row_delete, catalogue_row_save

CRITERION_FIELDS = (
    "section",
    "code",
    "text",
    "text_en",
    "guidance",
    "guidance_en",
    "answer_type",
    "max_points",
    "bands",
    "evidence",
    "critical",
    "na_allowed",
    "order",
)


@dataclass(frozen=True)
class LevelInput:
    code: str
    name: str
    name_en: str
    minimum_score: Decimal


@dataclass(frozen=True)
class SectionInput:
    pk: int | None
    code: str
    title: str
    title_en: str
    order: int
    delete: bool = False


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@transaction.atomic
def classification_save(
    *,
    by: Actor,
    version: ModelVersion,
    levels: Sequence[LevelInput],
    settings: dict[str, Any],
) -> ModelVersion:
    """The classes (best first by their minimum score) and the rules around them, at once."""
    require_configurer(by)
    version = _lock_draft(version.pk)
    codes = [level.code for level in levels]
    if not levels:
        raise DomainError(
            _("Chưa lưu được xếp loại."), fields={"levels": [_("Cần ít nhất một mức xếp loại.")]}
        )
    if len(set(codes)) != len(codes):
        raise DomainError(
            _("Chưa lưu được xếp loại."),
            fields={"levels": [_("Mỗi mức xếp loại cần một mã riêng.")]},
        )
    minima = [level.minimum_score for level in levels]
    if len(set(minima)) != len(minima):
        raise DomainError(
            _("Chưa lưu được xếp loại."),
            fields={"levels": [_("Hai mức xếp loại không được có cùng điểm tối thiểu.")]},
        )
    allowed = {"critical_cap", "top_class_section_minimum", "applicable_floor"}
    changes = model_update(
        instance=version, data={k: v for k, v in settings.items() if k in allowed}
    )
    if version.critical_cap not in codes:
        raise DomainError(
            _("Chưa lưu được xếp loại."),
            fields={"critical_cap": [_("Hãy chọn một trong các mức xếp loại ở trên.")]},
        )
    checked(version, message=_("Chưa lưu được xếp loại."))
    before = list(version.levels.order_by("order").values("code", "name", "minimum_score"))
    ranked = sorted(levels, key=lambda level: level.minimum_score, reverse=True)
    rows = [
        ClassificationLevel(
            version=version,
            order=order,
            code=level.code,
            name=level.name,
            name_en=level.name_en,
            minimum_score=level.minimum_score,
        )
        for order, level in enumerate(ranked, start=1)
    ]
    for row in rows:
        checked(row, message=_("Chưa lưu được xếp loại."), exclude=["version"])
    version.levels.all().delete()
    ClassificationLevel.objects.bulk_create(rows)
    if changes:
        version.save(update_fields=list(changes))
    after = [{"code": r.code, "name": r.name, "minimum_score": r.minimum_score} for r in rows]
    if changes or before != after:
        record_event(
            actor=by,
            action="classification_updated",
            target=version,
            changes={**changes, "levels": [before, after]},
        )
    return version


@transaction.atomic
def sections_save(*, by: Actor, version: ModelVersion, rows: Sequence[SectionInput]) -> None:
    """Add, change and remove sections; a section that still has criteria stays."""
    require_configurer(by)
    version = _lock_draft(version.pk)
    stored = {s.pk: s for s in version.sections.all()}
    for row in rows:
        if row.pk is not None and row.pk not in stored:
            raise DomainError(_("Không tìm thấy nhóm tiêu chí."), fields={"sections": []})
    for row in rows:
        if row.delete and row.pk is not None:
            section = stored[row.pk]
            if section.criteria.exists():
                raise DomainError(
                    _("Chưa xóa được nhóm %(code)s: nhóm còn tiêu chí.") % {"code": section.code},
                    fields={"sections": [_("Hãy chuyển hoặc xóa các tiêu chí của nhóm trước.")]},
                )
            catalogue_row_delete(by=by, row=section)
    for row in rows:
        if row.delete:
            continue
        section = stored[row.pk] if row.pk is not None else Section(version=version)
        section.code, section.title = row.code.strip(), row.title.strip()
        section.title_en, section.order = row.title_en.strip(), row.order
        catalogue_row_save(by=by, row=section)


@transaction.atomic
def criterion_edit(
    *, by: Actor, version: ModelVersion, criterion: Criterion | None, values: dict[str, Any]
) -> Criterion:
    """A new criterion of a draft, or one changed: its texts, points, bands and flags."""
    require_configurer(by)
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise DomainError(
            _("Chưa lưu được tiêu chí."),
            fields={name: [_("Không sửa được ở đây.")] for name in sorted(unknown)},
        )
    if criterion is None:
        criterion = Criterion(version=version)
    elif criterion.version_id != version.pk:
        raise DomainError(_("Không tìm thấy tiêu chí."), fields={"code": []})
    for name, value in values.items():
        setattr(criterion, name, value)
    if criterion.answer_type != "percent":
        criterion.bands = []  # only a percentage has bands; a changed type drops them
    saved = catalogue_row_save(by=by, row=criterion)
    assert isinstance(saved, Criterion)
    return saved


@transaction.atomic
def criteria_import(*, by: Actor, version: ModelVersion, data: bytes) -> ImportReport:
    """The workbook is the whole list: its rows are added or changed by code, criteria it no
    longer lists are removed. Any problem in any row and nothing is saved."""
    require_configurer(by)
    version = _lock_draft(version.pk)
    plan = plan_criteria(data)
    sections = {s.code: s for s in version.sections.all()}
    stored = {c.code: c for c in version.criteria.all()}
    report = ImportReport()
    for row in plan.rows:
        section = sections.get(row.section)
        if section is None:
            plan.refuse(row.line, _("Không có nhóm tiêu chí “%(code)s”.") % {"code": row.section})
            continue
        criterion = stored.get(row.code)
        if criterion is not None and _unchanged(criterion, section, row.values):
            continue
        try:
            criterion_edit(
                by=by,
                version=version,
                criterion=criterion,
                values={**row.values, "section": section, "code": row.code},
            )
        except DomainError as refused:
            for found in refused.fields.values():
                for message in found:
                    plan.refuse(row.line, str(message))
            if not refused.fields:
                plan.refuse(row.line, refused.message)
            continue
        (report.updated if criterion is not None else report.created).append(row.code)
    if plan.problems:
        raise DomainError(
            _("Chưa nhập được: tệp còn lỗi, chưa có gì được lưu."), fields=plan.problems
        )
    listed = {row.code for row in plan.rows}
    for code, criterion in stored.items():
        if code not in listed:
            catalogue_row_delete(by=by, row=criterion)
            report.removed.append(code)
    return report


def _unchanged(criterion: Criterion, section: Section, values: dict[str, Any]) -> bool:
    same = all(getattr(criterion, name) == value for name, value in values.items())
    return same and criterion.section_id == section.pk
