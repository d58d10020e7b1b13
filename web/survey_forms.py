"""The forms of the survey pages: the citizens' questions, a new desk, a comment's hiding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import OrgUnit, SurveyResponse
from inspections.services.surveys import COMMENT_MAX, DESK_MAX, REASON_MAX
from web.fields import IdChoiceField

YES_NO = [("1", _("Có, đúng hẹn")), ("0", _("Không, bị trễ hẹn"))]


class PublicSurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Ông/bà hài lòng thế nào với việc giải quyết hồ sơ?"),
        choices=[(str(v), label) for v, label in SurveyResponse.Satisfaction.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một mức hài lòng.")},
    )
    on_time = forms.TypedChoiceField(
        label=_("Hồ sơ có được giải quyết đúng hẹn không?"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn Có hoặc Không.")},
    )
    attitude = forms.TypedChoiceField(
        label=_("Thái độ của công chức tiếp nhận hồ sơ"),
        choices=[(str(v), label) for v, label in SurveyResponse.Attitude.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một nhận xét về thái độ phục vụ.")},
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SurveyPointForm(forms.Form):
    unit = IdChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    desk = forms.CharField(
        label=_("Quầy, bộ phận"),
        max_length=DESK_MAX,
        help_text=_("Ví dụ: Bộ phận một cửa, Quầy số 2"),
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, IdChoiceField)
        field.queryset = units


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Lý do ẩn"), max_length=REASON_MAX)
