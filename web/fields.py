"""Form fields for ids (ASCII digits within a database id's range, checked before any query)
and for dates typed day first.

Django's model choice fields hand a posted value to the database as it is: a 25-digit id in
a list is an OverflowError on SQLite (a 500) before the form can call it invalid.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class WholeNumberField(forms.CharField):
    """A whole number typed in ASCII digits within [min_value, max_value] ("١٢" and "²" are
    not numbers here, and 40 digits never reach `int`)."""

    def __init__(self, *, min_value: int = 0, max_value: int = 32767, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        number = ascii_int(text, minimum=self.min_value, maximum=self.max_value)
        if number is None:
            raise ValidationError(
                _("Hãy nhập một số nguyên từ %(low)s đến %(high)s.")
                % {"low": self.min_value, "high": self.max_value},
                code="invalid",
            )
        return number


_DECIMAL = re.compile(r"^[0-9]{1,4}(?:[.,][0-9]{1,2})?$")


class PointsField(forms.CharField):
    """A score or a percentage: ASCII digits with at most two decimals after a comma (as
    Vietnamese write 92,50) or a point, within [min_value, max_value], as a `Decimal`."""

    def __init__(
        self,
        *,
        min_value: Decimal = Decimal(0),
        max_value: Decimal = Decimal(100),
        positive: bool = False,
        **kwargs: Any,
    ) -> None:
        self.min_value, self.max_value, self.positive = min_value, max_value, positive
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number_format(value.normalize() if value % 1 else value.quantize(Decimal(1)))
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        if not _DECIMAL.match(text):
            raise ValidationError(
                _("Hãy nhập một số, tối đa hai chữ số thập phân (ví dụ 4,5)."), code="invalid"
            )
        number = Decimal(text.replace(",", "."))
        low_ok = number > self.min_value if self.positive else number >= self.min_value
        if not low_ok or number > self.max_value:
            raise ValidationError(
                _("Hãy nhập một số từ %(low)s đến %(high)s.")
                % {"low": number_format(self.min_value), "high": number_format(self.max_value)},
                code="range",
            )
        return number


# Day first, as Vietnamese write it; ISO too, which a native date picker and older forms post.
# ASCII digits only: Python's own date parsing would read "３１" or "٣١" as 31.
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
DATE_FORMAT = "%d/%m/%Y"


class DayMonthYearInput(forms.TextInput):
    """A text box that shows and takes dd/mm/yyyy whatever the browser's own language."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": gettext_lazy("dd/mm/yyyy"),
            "maxlength": "10",
            "size": "10",
            "class": "date",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime(DATE_FORMAT)
        return super().format_value(value)


class DayMonthYearField(forms.DateField):
    """A date typed as dd/mm/yyyy (31/12/2026); anything else is a form error, never a 500."""

    widget = DayMonthYearInput
    default_error_messages = {
        "invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 31/12/2026."),
        "no_such_day": gettext_lazy("Ngày %(value)s không có trên lịch."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Dạng ngày/tháng/năm, ví dụ 31/12/2026."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if found := _DMY.fullmatch(text):
            day, month, year = (int(part) for part in found.groups())
        elif found := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in found.groups())
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                self.error_messages["no_such_day"], code="invalid", params={"value": text}
            ) from None
