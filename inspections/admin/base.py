"""One way for the admin to write: through a service, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.db import models, router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from inspections.errors import DomainError

M = TypeVar("M", bound=models.Model)
_REFUSAL = "_cong_so_xanh_admin_refusal"


def refusal_text(error: DomainError) -> str:
    details = [str(m) for found in error.fields.values() for m in found]
    return " ".join([error.message, *(d for d in details if d not in error.message)])


def show_refusal(form: forms.BaseForm, error: DomainError, aliases: dict[str, str]) -> None:
    """Each message beside its field where the form has it; the refusal itself on top."""
    elsewhere: list[str] = []
    for name, found in error.fields.items():
        field = aliases.get(name, name)
        for message in found:
            if field in form.fields:
                form.add_error(field, str(message))
            else:
                elsewhere.append(str(message))
    form.add_error(None, " ".join([error.message, *elsewhere]))


def adopt(target: models.Model, saved: models.Model) -> None:
    """The admin goes on with its own instance (for its log and its redirect): give it the
    values the service stored, primary key included."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class ServiceAdmin(admin.ModelAdmin[M]):
    """`save_model`, `delete_model` and `save_formset` call services. A `DomainError` rolls the
    whole request back (the admin runs it in one transaction) and the form comes back as it
    was filled in, with the service's refusal on it."""

    # A service's field name → the form's, where the two differ.
    refusal_fields: dict[str, str] = {}

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refused:
            # Second pass over the same input: the form adds the refusal to its own errors,
            # so the admin renders it (with the inlines as filled in) and saves nothing.
            setattr(request, _REFUSAL, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: M | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[M]]:
        form = super().get_form(request, obj, change, **kwargs)
        refused: DomainError | None = getattr(request, _REFUSAL, None)
        if refused is None:
            return form
        aliases = self.refusal_fields

        def clean(self: forms.ModelForm[M]) -> dict[str, Any] | None:
            cleaned = form.clean(self)
            show_refusal(self, refused, aliases)
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as refused:
            self.message_user(request, refusal_text(refused), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def response_action(self, request: HttpRequest, queryset: QuerySet[M]) -> HttpResponse | None:
        # "Delete selected" deletes through `delete_model`, one service call per row: all or none.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except DomainError as refused:
            self.message_user(request, refusal_text(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        raise NotImplementedError(f"{type(self).__name__} writes through a service")

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        raise NotImplementedError(f"{type(self).__name__} deletes through a service")


def save_inline_rows(
    formset: Any,
    *,
    save: Callable[[models.Model], models.Model | None],
    delete: Callable[[models.Model], None],
) -> None:
    """An inline formset's rows, each through its service: removals first, then the rest."""
    formset.save(commit=False)  # builds the rows and sorts them into new, changed and deleted
    for row in formset.deleted_objects:
        delete(row)
    for row in [*(obj for obj, _fields in formset.changed_objects), *formset.new_objects]:
        saved = save(row)
        if saved is not None and saved is not row:
            adopt(row, saved)
