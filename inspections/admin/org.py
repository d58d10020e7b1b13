"""Groups, units and roles in the admin, written by `services.units` and `services.people`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from inspections.admin.base import ServiceAdmin, adopt
from inspections.models import Event, Group, OrgUnit, UserRole
from inspections.policies import acting
from inspections.services import (
    group_delete,
    group_save,
    role_grant,
    role_revoke,
    unit_create,
    unit_move,
    unit_retire,
    unit_update,
)


@admin.register(Group)
class GroupAdmin(ServiceAdmin[Group]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "name_en"]

    def save_model(self, request: HttpRequest, obj: Group, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = group_save(
            by=acting(request.user),
            group=obj if change else None,
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
        )
        adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Group) -> None:
        group_delete(by=acting(request.user), group=obj)


class OrgUnitForm(forms.ModelForm[OrgUnit]):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        retiring = [name for name in ("valid_to", "merged_into") if cleaned.get(name)]
        if len(retiring) == 1:
            raise forms.ValidationError(_("Sáp nhập cần cả ngày hết hiệu lực và đơn vị tiếp nhận."))
        return cleaned


@admin.register(OrgUnit)
class OrgUnitAdmin(ServiceAdmin[OrgUnit]):
    """Created, edited, moved and retired through `services.units`; never deleted (its
    inspections and results keep pointing at it)."""

    form = OrgUnitForm
    list_display = ["code", "name", "parent", "group", "valid_from", "valid_to"]
    list_filter = ["group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "merged_into"]
    list_select_related = ["parent", "group"]
    fields = ["code", "name", "parent", "group", "valid_from", "valid_to", "merged_into"]

    def get_readonly_fields(self, request: HttpRequest, obj: OrgUnit | None = None) -> list[str]:
        if obj is None:
            return ["valid_to", "merged_into"]  # a unit is retired once it exists
        if obj.valid_to is not None:
            return ["parent", "valid_to", "merged_into"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: OrgUnit | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        data, by = form.cleaned_data, acting(request.user)
        if not change:
            saved = unit_create(
                by=by,
                code=data["code"],
                name=data["name"],
                parent=data.get("parent"),
                group=data.get("group"),
                valid_from=data["valid_from"],
            )
            adopt(obj, saved)
            return
        if "parent" in form.changed_data:
            unit_move(by=by, unit=obj, parent=data.get("parent"))
        saved = unit_update(
            by=by,
            unit=obj,
            code=data["code"],
            name=data["name"],
            group=data.get("group"),
            valid_from=data["valid_from"],
        )
        if data.get("valid_to") and data.get("merged_into"):
            saved = unit_retire(
                by=by, unit=obj, merged_into=data["merged_into"], valid_to=data["valid_to"]
            )
        adopt(obj, saved)


@admin.register(UserRole)
class UserRoleAdmin(ServiceAdmin[UserRole]):
    """Granted and revoked through `services.people`; a change is a revocation and a grant."""

    list_display = ["user", "kind", "unit"]
    list_filter = ["kind"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]
    fields = ["user", "kind", "unit"]

    def has_change_permission(self, request: HttpRequest, obj: UserRole | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: UserRole, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = role_grant(
            by=acting(request.user), user=data["user"], kind=data["kind"], unit=data.get("unit")
        )
        adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: UserRole) -> None:
        role_revoke(by=acting(request.user), role=obj)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    """The log is written by the services alone."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False
