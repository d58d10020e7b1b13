"""The forms of the catalogue edition pages: rows for levels, sections and bands, never JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import AnswerType, EvidenceKind, ModelVersion, Section
from inspections.services.editions import LevelInput, SectionInput
from web.fields import IdChoiceField, PointsField, WholeNumberField

MAX_POINTS = Decimal("9999.99")


class SettingsForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    title_en = forms.CharField(label=_("Tiêu đề tiếng Anh"), max_length=300, required=False)
    action_due_days = WholeNumberField(label=_("Số ngày khắc phục"), min_value=1, max_value=365)


class LevelForm(forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=30)
    name = forms.CharField(label=_("Tên"), max_length=100)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=100, required=False)
    minimum_score = PointsField(label=_("Điểm tối thiểu"))


class BaseLevelFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def levels(self) -> list[LevelInput]:
        return [
            LevelInput(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"].strip(),
                name_en=form.cleaned_data.get("name_en", "").strip(),
                minimum_score=form.cleaned_data["minimum_score"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


LevelFormSet = cast(
    "type[BaseLevelFormSet]",
    forms.formset_factory(
        LevelForm, formset=BaseLevelFormSet, extra=1, can_delete=True, max_num=20, absolute_max=20
    ),
)


class ClassificationForm(forms.Form):
    critical_cap = forms.ChoiceField(label=_("Xếp loại tối đa khi trượt tiêu chí ★"))
    top_class_section_minimum = PointsField(
        label=_("Tỷ lệ tối thiểu mỗi nhóm để đạt loại cao nhất (%)")
    )
    applicable_floor = PointsField(label=_("Số điểm áp dụng tối thiểu để xếp loại"))

    def __init__(self, *args: Any, version: ModelVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = version.levels.order_by("order")
        field = self.fields["critical_cap"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(level.code, level.name) for level in levels]


class SectionForm(forms.Form):
    id = WholeNumberField(
        min_value=1, max_value=2**63 - 1, required=False, widget=forms.HiddenInput
    )
    code = forms.CharField(label=_("Mã"), max_length=10)
    title = forms.CharField(label=_("Tên"), max_length=300)
    title_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=300, required=False)
    order = WholeNumberField(label=_("Thứ tự"), required=False)


class BaseSectionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def rows(self) -> list[SectionInput]:
        return [
            SectionInput(
                pk=form.cleaned_data.get("id"),
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                title_en=form.cleaned_data.get("title_en", ""),
                order=form.cleaned_data.get("order") or 0,
                delete=bool(form.cleaned_data.get("DELETE")),
            )
            for form in self.forms
            if form.cleaned_data and "code" in form.cleaned_data
        ]


SectionFormSet = cast(
    "type[BaseSectionFormSet]",
    forms.formset_factory(
        SectionForm,
        formset=BaseSectionFormSet,
        extra=1,
        can_delete=True,
        max_num=50,
        absolute_max=50,
    ),
)


class CriterionForm(forms.Form):
    section = IdChoiceField(label=_("Nhóm tiêu chí"), queryset=Section.objects.none())
    code = forms.CharField(label=_("Mã"), max_length=10)
    order = WholeNumberField(label=_("Thứ tự"), required=False)
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(
        label=_("Nội dung tiếng Anh"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance_en = forms.CharField(
        label=_("Hướng dẫn chấm tiếng Anh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer_type = forms.ChoiceField(label=_("Kiểu trả lời"), choices=AnswerType.choices)
    max_points = PointsField(label=_("Điểm tối đa"), max_value=MAX_POINTS, positive=True)
    evidence = forms.ChoiceField(label=_("Minh chứng"), choices=EvidenceKind.choices)
    critical = forms.BooleanField(label=_("Tiêu chí ★ (bắt buộc đạt)"), required=False)
    na_allowed = forms.BooleanField(label=_("Cho phép “không áp dụng”"), required=False)

    def __init__(self, *args: Any, version: ModelVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, IdChoiceField)
        field.queryset = Section.objects.filter(version=version).order_by("order", "code")

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class BandForm(forms.Form):
    minimum = PointsField(label=_("Từ tỷ lệ (%)"))
    points = PointsField(label=_("Điểm"), max_value=MAX_POINTS, positive=True)


class BaseBandFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def bands(self) -> list[dict[str, str]]:
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: row["minimum"], reverse=True)
        return [{"minimum": str(r["minimum"]), "points": str(r["points"])} for r in rows]


BandFormSet = cast(
    "type[BaseBandFormSet]",
    forms.formset_factory(
        BandForm, formset=BaseBandFormSet, extra=2, can_delete=True, max_num=20, absolute_max=20
    ),
)


def band_initial(bands: list[dict[str, str]]) -> list[dict[str, Decimal]]:
    return [{"minimum": Decimal(b["minimum"]), "points": Decimal(b["points"])} for b in bands]
