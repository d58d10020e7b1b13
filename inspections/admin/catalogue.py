"""Model versions in the admin: a draft is edited through `services.drafts`; a published
version (and everything under it) is shown read-only, and the models refuse it anyway."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from inspections.admin.base import ServiceAdmin, adopt, save_inline_rows
from inspections.models import (
    ClassificationLevel,
    Criterion,
    EmulationModel,
    ModelVersion,
    Section,
)
from inspections.policies import acting
from inspections.services import (
    catalogue_row_delete,
    catalogue_row_save,
    emulation_model_save,
    version_draft_delete,
    version_draft_save,
)
from inspections.services.drafts import VERSION_SETTINGS


def _is_published(obj: object) -> bool:
    version = obj if isinstance(obj, ModelVersion) else getattr(obj, "version", None)
    return isinstance(version, ModelVersion) and version.is_published


class ReadOnlyWhenPublished:
    """Inline mix-in: rows of a published version can be read, not added, changed or removed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class LevelInline(ReadOnlyWhenPublished, admin.TabularInline[ClassificationLevel, ModelVersion]):
    model = ClassificationLevel
    extra = 0


class SectionInline(ReadOnlyWhenPublished, admin.TabularInline[Section, ModelVersion]):
    model = Section
    extra = 0


class CriterionInline(ReadOnlyWhenPublished, admin.StackedInline[Criterion, ModelVersion]):
    model = Criterion
    extra = 0
    fields = [
        ("section", "code", "order"),
        ("text", "text_en"),
        ("guidance", "guidance_en"),
        ("answer_type", "max_points", "bands"),
        ("evidence", "critical", "na_allowed"),
    ]

    def get_formset(
        self, request: HttpRequest, obj: ModelVersion | None = None, **kwargs: Any
    ) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        section = formset.form.base_fields.get("section")
        if isinstance(section, forms.ModelChoiceField):  # only this version's sections
            section.queryset = (
                Section.objects.filter(version=obj) if obj else Section.objects.none()
            )
        return formset


@admin.register(EmulationModel)
class EmulationModelAdmin(ServiceAdmin[EmulationModel]):
    list_display = ["code", "name"]
    fields = ["code", "name", "name_en"]

    def has_delete_permission(
        self, request: HttpRequest, obj: EmulationModel | None = None
    ) -> bool:
        return False  # its versions, published or not, are the history of the movement

    def save_model(
        self, request: HttpRequest, obj: EmulationModel, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = emulation_model_save(
            by=acting(request.user),
            model=obj if change else None,
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
        )
        adopt(obj, saved)


@admin.register(ModelVersion)
class ModelVersionAdmin(ServiceAdmin[ModelVersion]):
    list_display = ["title", "model", "number", "status", "published_at"]
    list_filter = ["status", "model"]
    fields = ["model", "number", *VERSION_SETTINGS, "status", "published_at", "based_on"]
    inlines = [LevelInline, SectionInline, CriterionInline]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ModelVersion | None = None
    ) -> list[str]:
        fixed = ["number", "status", "published_at", "based_on"]
        return fixed if obj is None else ["model", *fixed]

    def has_change_permission(self, request: HttpRequest, obj: ModelVersion | None = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ModelVersion | None = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ModelVersion, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = version_draft_save(
            by=acting(request.user),
            version=obj if change else None,
            model=obj.model if change else data["model"],
            settings={name: data[name] for name in VERSION_SETTINGS if name in data},
        )
        adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_inline_rows(
            formset,
            save=lambda row: catalogue_row_save(by=acting(request.user), row=row),  # type: ignore[arg-type]
            delete=lambda row: catalogue_row_delete(by=acting(request.user), row=row),  # type: ignore[arg-type]
        )

    def delete_model(self, request: HttpRequest, obj: ModelVersion) -> None:
        version_draft_delete(by=acting(request.user), version=obj)
