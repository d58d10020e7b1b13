"""Form fields for ids: ASCII digits within a database id's range, checked before any query.

Django's model choice fields hand a posted value to the database as it is: a 25-digit id in
a list is an OverflowError on SQLite (a 500) before the form can call it invalid.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from inspections.numbers import ascii_int


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if ascii_int(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if ascii_int(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class OneChoiceSelected(forms.Form):
    """A required list with a single possible value shows it chosen, not "---------"
    ("Phiên bản mô hình" while one version is published)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not field.required or isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                only = list(field.queryset[:2])  # type: ignore[index]
                if len(only) == 1:
                    field.empty_label = None
                    self.initial.setdefault(name, field.prepare_value(only[0]))
