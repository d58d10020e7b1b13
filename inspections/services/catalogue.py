"""Model versions: loading the reference catalogue, publishing with checks, new drafts."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import (
    AnswerType,
    ClassificationLevel,
    Criterion,
    EmulationModel,
    ModelVersion,
    Section,
)
from inspections.policies import Actor
from inspections.services.audit import record_event

REFERENCE_CATALOGUE = (
    Path(__file__).resolve().parent.parent / "fixtures" / ("reference_catalogue_2026.json")
)


@transaction.atomic
def catalogue_load(
    *, data: dict[str, Any], publish: bool = True, by: Actor | None = None
) -> ModelVersion:
    """Create a model version from catalogue data; loading the same version again is a no-op."""
    model, _created = EmulationModel.objects.get_or_create(
        code=data["model"]["code"],
        defaults={"name": data["model"]["name"], "name_en": data["model"].get("name_en", "")},
    )
    number = int(data["version"]["number"])
    existing = ModelVersion.objects.filter(model=model, number=number).first()
    if existing is not None:
        return existing
    spec = data["version"]
    version = ModelVersion.objects.create(
        model=model,
        number=number,
        title=spec["title"],
        title_en=spec.get("title_en", ""),
        critical_cap=spec["critical_cap"],
        top_class_section_minimum=Decimal(spec["top_class_section_minimum"]),
        applicable_floor=Decimal(spec["applicable_floor"]),
        action_due_days=int(spec["action_due_days"]),
    )
    ClassificationLevel.objects.bulk_create(
        ClassificationLevel(version=version, order=i, **level)
        for i, level in enumerate(data["levels"], start=1)
    )
    sections = {}
    for i, section in enumerate(data["sections"], start=1):
        sections[section["code"]] = Section.objects.create(version=version, order=i, **section)
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            section=sections[item["section"]],
            order=i,
            **{k: v for k, v in item.items() if k != "section"},
        )
        for i, item in enumerate(data["criteria"], start=1)
    )
    record_event(actor=by, action="version_created", target=version, title=version.title)
    if publish:
        version = version_publish(version=version, by=by)
    return version


def load_reference_catalogue(*, by: Actor | None = None) -> ModelVersion:
    data = json.loads(REFERENCE_CATALOGUE.read_text(encoding="utf-8"))
    return catalogue_load(data=data, by=by)


def version_problems(version: ModelVersion) -> list[str]:
    """Every reason this version cannot be published, in plain words; empty when it can."""
    return [message for found in version_problem_fields(version).values() for message in found]


def version_problem_fields(version: ModelVersion) -> dict[str, list[str]]:
    """The same reasons by the field concerned: a setting ("critical_cap"), the levels
    ("levels"), or one criterion's field ("D1.bands"), so a page shows each beside its field."""
    problems: dict[str, list[str]] = {}
    levels = list(version.levels.order_by("order"))
    if not levels:
        problems.setdefault("levels", []).append(_("Chưa có mức xếp loại nào."))
    minima = [level.minimum_score for level in levels]
    if any(a <= b for a, b in pairwise(minima)):
        problems.setdefault("levels", []).append(
            _("Ngưỡng xếp loại phải giảm dần từ mức cao nhất đến mức thấp nhất.")
        )
    if levels and minima[-1] != 0:
        problems.setdefault("levels", []).append(
            _("Mức xếp loại thấp nhất phải bắt đầu từ 0 điểm.")
        )
    if version.critical_cap not in {level.code for level in levels}:
        problems["critical_cap"] = [
            _("Mức giới hạn khi trượt tiêu chí ★ không có trong các mức xếp loại.")
        ]
    criteria = list(version.criteria.all())
    if not criteria:
        problems["criteria"] = [_("Chưa có tiêu chí nào.")]
    for criterion in criteria:
        for name, found in criterion_problems(criterion).items():
            problems[f"{criterion.code}.{name}"] = found
    return problems


def criterion_problems(criterion: Criterion) -> dict[str, list[str]]:
    """One criterion's problems by its field (max_points, na_allowed, bands)."""
    problems: dict[str, list[str]] = {}
    code = criterion.code
    if criterion.max_points <= 0:
        problems["max_points"] = [_("%(code)s: điểm tối đa phải dương.") % {"code": code}]
    if criterion.critical and criterion.na_allowed:
        problems["na_allowed"] = [
            _("%(code)s: tiêu chí ★ không được cho phép “không áp dụng”.") % {"code": code}
        ]
    bands = _band_problems(criterion)
    if bands:
        problems["bands"] = bands
    return problems


def _band_problems(criterion: Criterion) -> list[str]:
    code = criterion.code
    if criterion.answer_type != AnswerType.PERCENT:
        if criterion.bands:
            return [_("%(code)s: chỉ tiêu chí tỷ lệ mới có khung điểm.") % {"code": code}]
        return []
    try:
        bands = [(Decimal(b["minimum"]), Decimal(b["points"])) for b in criterion.bands]
    except (KeyError, TypeError, InvalidOperation):
        return [_("%(code)s: khung điểm không đọc được.") % {"code": code}]
    problems: list[str] = []
    if not bands:
        problems.append(_("%(code)s: tiêu chí tỷ lệ cần ít nhất một khung điểm.") % {"code": code})
    minima = [m for m, _p in bands]
    points = [p for _m, p in bands]
    if minima != sorted(minima, reverse=True) or len(set(minima)) != len(minima):
        problems.append(_("%(code)s: khung điểm phải xếp theo ngưỡng giảm dần.") % {"code": code})
    if points != sorted(points, reverse=True):
        problems.append(_("%(code)s: ngưỡng cao hơn phải cho điểm cao hơn.") % {"code": code})
    if any(p <= 0 or p > criterion.max_points for p in points):
        problems.append(
            _("%(code)s: điểm của mỗi khung phải dương và không quá điểm tối đa.") % {"code": code}
        )
    if any(m < 0 or m > 100 for m in minima):
        problems.append(_("%(code)s: ngưỡng phải nằm trong 0–100.") % {"code": code})
    return problems


@transaction.atomic
def version_publish(*, version: ModelVersion, by: Actor | None) -> ModelVersion:
    """Freeze a draft for ever; `by` None is the system (the reference catalogue's loader)."""
    if by is not None and not policies.may_manage_movement(by):
        raise DomainError(
            _("Chỉ Phòng Nội vụ được thực hiện thao tác này."), problem=Problem.FORBIDDEN
        )
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise DomainError(_("Phiên bản này đã được ban hành."), problem=Problem.WRONG_STATE)
    problems = version_problem_fields(version)
    if problems:
        # Each problem under the field concerned ("D1.bands", "levels", "critical_cap").
        raise DomainError(
            _("Phiên bản chưa hợp lệ để ban hành."), problem=Problem.INVALID, fields=problems
        )
    version.status = ModelVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record_event(actor=by, action="version_published", target=version)
    return version


@transaction.atomic
def version_new_draft(*, source: ModelVersion, by: Actor) -> ModelVersion:
    """A new edition: a draft copy of a published version, numbered after the last one."""
    if not source.is_published:
        raise DomainError(
            _("Chỉ tạo bản nháp mới từ một phiên bản đã ban hành."), problem=Problem.WRONG_STATE
        )
    last = ModelVersion.objects.filter(model=source.model).order_by("-number").first()
    draft = ModelVersion.objects.create(
        model=source.model,
        number=(last.number if last else 0) + 1,
        title=source.title,
        title_en=source.title_en,
        based_on=source,
        critical_cap=source.critical_cap,
        top_class_section_minimum=source.top_class_section_minimum,
        applicable_floor=source.applicable_floor,
        action_due_days=source.action_due_days,
    )
    for level in source.levels.all():
        level.pk = None
        level.version = draft
        level.save()
    new_sections: dict[int, Section] = {}
    for section in source.sections.all():
        old_id = section.pk
        section.pk = None
        section.version = draft
        section.save()
        new_sections[old_id] = section
    copies = []
    for criterion in source.criteria.all():
        criterion.pk = None
        criterion.version = draft
        criterion.section = new_sections[criterion.section_id]
        copies.append(criterion)
    Criterion.objects.bulk_create(copies)
    record_event(actor=by, action="version_drafted", target=draft, based_on=source.pk)
    return draft
