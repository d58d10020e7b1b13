"""Django admin for Internal Affairs' configuration work; a published version is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    Assignment,
    ClassificationLevel,
    Criterion,
    EmulationModel,
    Event,
    Group,
    ModelVersion,
    OrgUnit,
    Round,
    Section,
    UserRole,
)
from inspections.policies import own_unit_conflicts

admin.site.site_header = _("Công Sở Xanh — quản trị")
admin.site.site_title = _("Công Sở Xanh")
admin.site.index_title = _("Cấu hình phong trào")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin[Group]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["code", "name", "parent", "group", "valid_from", "valid_to"]
    list_filter = ["group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "merged_into"]
    list_select_related = ["parent", "group"]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin[UserRole]):
    list_display = ["user", "kind", "unit"]
    list_filter = ["kind"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]


def _is_published(obj: object) -> bool:
    version = obj if isinstance(obj, ModelVersion) else getattr(obj, "version", None)
    return isinstance(version, ModelVersion) and version.is_published


class FrozenWhenPublished:
    """Inline mix-in: rows of a published version can be read, not added, changed or removed."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class LevelInline(FrozenWhenPublished, admin.TabularInline[ClassificationLevel, ModelVersion]):
    model = ClassificationLevel
    extra = 0


class SectionInline(FrozenWhenPublished, admin.TabularInline[Section, ModelVersion]):
    model = Section
    extra = 0


class CriterionInline(FrozenWhenPublished, admin.StackedInline[Criterion, ModelVersion]):
    model = Criterion
    extra = 0
    fields = [
        ("section", "code", "order"),
        ("text", "text_en"),
        ("guidance", "guidance_en"),
        ("answer_type", "max_points", "bands"),
        ("evidence", "critical", "na_allowed"),
    ]


@admin.register(EmulationModel)
class EmulationModelAdmin(admin.ModelAdmin[EmulationModel]):
    list_display = ["code", "name"]


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin[ModelVersion]):
    list_display = ["title", "model", "number", "status", "published_at"]
    list_filter = ["status", "model"]
    readonly_fields = ["status", "published_at", "based_on"]
    inlines = [LevelInline, SectionInline, CriterionInline]

    def has_change_permission(self, request: HttpRequest, obj: ModelVersion | None = None) -> bool:
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ModelVersion | None = None) -> bool:
        return not _is_published(obj) and super().has_delete_permission(request, obj)


class AssignmentForm(forms.ModelForm[Assignment]):
    """The admin writes assignments itself, so it applies the service's own-unit rule here."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit, inspector = cleaned.get("unit"), cleaned.get("inspector")
        if unit is not None and inspector is not None:
            conflicts = own_unit_conflicts(inspector=inspector, units=[unit])
            if conflicts:
                raise forms.ValidationError(
                    _("Cán bộ kiểm tra không được kiểm tra đơn vị của mình: %(units)s.")
                    % {"units": ", ".join(conflicts)}
                )
        return cleaned


class AssignmentInline(admin.TabularInline[Assignment, Round]):
    model = Assignment
    form = AssignmentForm
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "inspector", "due_on"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    list_display = ["name", "version", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    form = AssignmentForm
    list_display = ["round", "unit", "inspector", "due_on"]
    list_filter = ["round"]
    autocomplete_fields = ["unit"]
    list_select_related = ["round", "unit", "inspector"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False
