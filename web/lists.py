"""What every list page shares: its filter form, with pickers instead of typed ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from inspections.models import Group, RoleKind, Round, display_name
from inspections.policies import Viewer, visible_units

Choices = Iterable[tuple[Any, str]]


def filter_form(
    filterset: type[django_filters.FilterSet],
    query: Mapping[str, Any],
    *,
    pickers: Mapping[str, Choices] | None = None,
    only: Iterable[str] | None = None,
    prefix: str = "f",
) -> forms.Form:
    """The FilterSet's form for a GET form, each id field in `pickers` a select of names;
    `only` keeps just those fields, in that order.

    The selector has already refused a bad query (a 400), so the form only shows values."""
    wanted = {k: query[k] for k in filterset.base_filters if k in query}
    form: forms.Form = filterset(wanted or None, queryset=_empty(filterset)).form
    if only is not None:
        kept = list(only)
        form.fields = {name: form.fields[name] for name in kept}
    for name, choices in (pickers or {}).items():
        field = form.fields[name]
        field.widget = forms.Select(choices=[("", _("Tất cả")), *choices])
    for name, field in form.fields.items():
        field.widget.attrs.setdefault("id", f"{prefix}-{name}")
        if isinstance(field.widget, forms.Select) and not field.required:
            blank = _("Thứ tự mặc định") if name == "sort" else _("Tất cả")
            field.widget.choices = [
                ("", blank) if value in ("", None) else (value, label)
                for value, label in field.widget.choices
            ]
    return form


def _empty(filterset: type[django_filters.FilterSet]) -> QuerySet[Any]:
    return filterset._meta.model._default_manager.none()  # type: ignore[no-any-return]


def is_filtered(filterset: type[django_filters.FilterSet], query: Mapping[str, Any]) -> bool:
    """Whether the query narrows the list (sorting alone does not)."""
    return any(query.get(k) for k in filterset.base_filters if k != "sort")


def round_choices() -> list[tuple[int, str]]:
    return list(Round.objects.order_by("-ends_on", "-id").values_list("pk", "name"))


def group_choices() -> list[tuple[int, str]]:
    return list(Group.objects.order_by("sort_key").values_list("pk", "name"))


def unit_choices(user: Viewer) -> list[tuple[int, str]]:
    """Current units first, in Vietnamese order; merged or closed ones after, marked."""
    rows = visible_units(user).order_by("valid_to", "sort_key", "id")
    found = []
    for pk, name, valid_to in rows.values_list("pk", "name", "valid_to"):
        label = name if valid_to is None else _("%(name)s (hết hiệu lực)") % {"name": name}
        found.append((pk, label))
    return found


def inspector_choices() -> list[tuple[int, str]]:
    people = (
        get_user_model()
        .objects.filter(roles__kind=RoleKind.INSPECTOR)
        .select_related("profile")
        .distinct()
        .order_by("profile__sort_key", "username")
    )
    return [(person.pk, display_name(person)) for person in people]
