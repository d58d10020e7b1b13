"""Editing a draft model version: its settings, levels, sections and criteria.

A published version is frozen by the models themselves (`PublishedVersionFrozen`); these
services say so in plain words first, and record every edit of a draft.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inspections.errors import DomainError, Problem
from inspections.models import (
    ClassificationLevel,
    Criterion,
    EmulationModel,
    ModelVersion,
    Section,
)
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.common import checked, model_update, require_configurer

CatalogueRow = ClassificationLevel | Section | Criterion
# What a draft's own form may change; the status and dates belong to `version_publish`.
VERSION_SETTINGS = (
    "title",
    "title_en",
    "critical_cap",
    "top_class_section_minimum",
    "applicable_floor",
    "action_due_days",
)


def _lock_draft(version_id: int) -> ModelVersion:
    version = ModelVersion.objects.select_for_update().get(pk=version_id)
    if version.is_published:
        raise DomainError(
            _("Phiên bản “%(title)s” đã ban hành: không sửa được. Hãy tạo một bản nháp mới.")
            % {"title": version.title},
            problem=Problem.WRONG_STATE,
            code="version_frozen",
        )
    return version


@transaction.atomic
def emulation_model_save(
    *, by: Actor, model: EmulationModel | None = None, code: str, name: str, name_en: str = ""
) -> EmulationModel:
    require_configurer(by)
    creating = model is None
    model = (
        EmulationModel()
        if model is None
        else EmulationModel.objects.select_for_update().get(pk=model.pk)
    )
    changes = model_update(
        instance=model, data={"code": code.strip(), "name": name.strip(), "name_en": name_en}
    )
    checked(model, message=_("Chưa lưu được mô hình thi đua."))
    if changes or creating:
        model.save()
        action = "model_created" if creating else "model_updated"
        record_event(actor=by, action=action, target=model, changes=changes)
    return model


@transaction.atomic
def version_draft_save(
    *,
    by: Actor,
    version: ModelVersion | None = None,
    model: EmulationModel,
    settings: dict[str, Any],
) -> ModelVersion:
    """A new empty draft (numbered after the model's last version) or a draft's settings."""
    require_configurer(by)
    unknown = set(settings) - set(VERSION_SETTINGS)
    if unknown:
        raise DomainError(
            _("Chưa lưu được phiên bản."),
            fields={name: [_("Không sửa được ở đây.")] for name in sorted(unknown)},
        )
    creating = version is None
    if version is None:
        last = ModelVersion.objects.filter(model=model).order_by("-number").first()
        version = ModelVersion(model=model, number=(last.number if last else 0) + 1)
    else:
        version = _lock_draft(version.pk)
    changes = model_update(instance=version, data=settings)
    checked(version, message=_("Chưa lưu được phiên bản."))
    if not changes and not creating:
        return version
    version.save()
    action = "version_created" if creating else "version_updated"
    record_event(actor=by, action=action, target=version, changes=changes)
    return version


@transaction.atomic
def version_draft_delete(*, by: Actor, version: ModelVersion) -> None:
    """Throw a draft away, with its levels, sections and criteria."""
    require_configurer(by)
    version = _lock_draft(version.pk)
    record_event(
        actor=by,
        action="version_deleted",
        target=version,
        model=version.model.code,
        number=version.number,
    )
    version.delete()


@transaction.atomic
def catalogue_row_save(*, by: Actor, row: CatalogueRow) -> CatalogueRow:
    """Add or change a level, section or criterion of a draft (the row carries its values)."""
    require_configurer(by)
    version = _lock_draft(row.version_id)
    if isinstance(row, Criterion) and row.section.version_id != version.pk:
        raise DomainError(
            _("Chưa lưu được tiêu chí."),
            fields={"section": [_("Nhóm tiêu chí phải thuộc cùng phiên bản.")]},
        )
    if isinstance(row, Criterion):
        located = _criterion_rules(row)
        if located:
            raise DomainError(_("Chưa lưu được tiêu chí."), fields=located)
    creating = row.pk is None
    changes: dict[str, list[Any]] = {}
    if not creating:
        stored = type(row)._base_manager.get(pk=row.pk)
        if stored.version_id != version.pk:
            _lock_draft(stored.version_id)
        data = {
            f.name: getattr(row, f.name) for f in row._meta.concrete_fields if not f.primary_key
        }
        changes = model_update(instance=stored, data=data)
        if not changes:
            return row
    checked(row, message=_("Chưa lưu được “%(row)s”.") % {"row": row._meta.verbose_name})
    row.save()
    record_event(
        actor=by,
        action="catalogue_row_created" if creating else "catalogue_row_updated",
        target=row,
        version=version.pk,
        code=row.code,
        changes=changes,
    )
    return row


def _criterion_rules(row: Criterion) -> dict[str, list[str]]:
    """The database's own rules on a criterion, each beside its field (the constraints alone
    would give one message for the whole form)."""
    found: dict[str, list[str]] = {}
    if row.max_points is not None and row.max_points <= 0:
        found["max_points"] = [_("Điểm tối đa phải dương.")]
    if row.critical and row.na_allowed:
        found["na_allowed"] = [_("Tiêu chí ★ không được cho phép “không áp dụng”.")]
    return found


@transaction.atomic
def catalogue_row_delete(*, by: Actor, row: CatalogueRow) -> None:
    require_configurer(by)
    stored = type(row)._base_manager.get(pk=row.pk)
    version = _lock_draft(stored.version_id)
    record_event(
        actor=by, action="catalogue_row_deleted", target=stored, version=version.pk, code=row.code
    )
    stored.delete()
