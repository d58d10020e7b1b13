"""Rounds and assignments in the admin, written by `services.rounds` with its people rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from inspections.admin.base import ServiceAdmin, adopt, save_inline_rows
from inspections.models import Assignment, Round
from inspections.policies import acting
from inspections.services import (
    assignment_remove,
    assignment_update,
    assignments_create,
    round_create,
    round_update,
)


def _save_assignment(by: Any, row: Assignment) -> Assignment:
    if row.pk is None:
        return assignments_create(
            by=by, round=row.round, inspector=row.inspector, units=[row.unit], due_on=row.due_on
        )[0]
    return assignment_update(
        by=by, assignment=row, unit=row.unit, inspector=row.inspector, due_on=row.due_on
    )


class AssignmentInline(admin.TabularInline[Assignment, Round]):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "inspector", "due_on"]


@admin.register(Round)
class RoundAdmin(ServiceAdmin[Round]):
    """Opened, closed and published on the site's own pages; never deleted here."""

    list_display = ["name", "version", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    fields = ["name", "version", "starts_on", "ends_on", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    inlines = [AssignmentInline]

    def has_delete_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Round, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "version", "starts_on", "ends_on")}
        if change:
            saved = round_update(by=acting(request.user), round=obj, **fields)
        else:
            saved = round_create(by=acting(request.user), **fields)
        adopt(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        save_inline_rows(
            formset,
            save=lambda row: _save_assignment(acting(request.user), row),  # type: ignore[arg-type]
            delete=lambda row: assignment_remove(by=acting(request.user), assignment=row),  # type: ignore[arg-type]
        )


@admin.register(Assignment)
class AssignmentAdmin(ServiceAdmin[Assignment]):
    list_display = ["round", "unit", "inspector", "due_on"]
    list_filter = ["round"]
    autocomplete_fields = ["unit"]
    list_select_related = ["round", "unit", "inspector"]
    fields = ["round", "unit", "inspector", "due_on"]
    refusal_fields = {"units": "unit"}

    def get_readonly_fields(self, request: HttpRequest, obj: Assignment | None = None) -> list[str]:
        return [] if obj is None else ["round"]

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        adopt(obj, _save_assignment(acting(request.user), obj))

    def delete_model(self, request: HttpRequest, obj: Assignment) -> None:
        assignment_remove(by=acting(request.user), assignment=obj)
