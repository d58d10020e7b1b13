"""A photo's page: the display copy with its checks, the inspector's drawings and, for
Internal Affairs, the blurred regions. Forms work without JavaScript (percentages typed in);
photo-overlays.js lets the user drag them on the picture instead."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import policies, services
from inspections.errors import DomainError
from inspections.models import EvidencePhoto
from inspections.photo_overlays import MAX_LABEL
from inspections.services.overlays import original_kept
from web.errors import form_refusal, message_of


def _percent(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, max_digits=6, decimal_places=2
    )


class BlurForm(forms.Form):
    x = _percent(gettext_lazy("Từ trái (%)"))
    y = _percent(gettext_lazy("Từ trên (%)"))
    w = _percent(gettext_lazy("Rộng (%)"))
    h = _percent(gettext_lazy("Cao (%)"))

    def region(self) -> dict[str, float]:
        return {k: float(self.cleaned_data[k]) / 100 for k in "xywh"}


class ShapeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình"),
        choices=[("circle", gettext_lazy("Vòng tròn")), ("arrow", gettext_lazy("Mũi tên"))],
        widget=forms.RadioSelect,
        initial="circle",
    )
    x1 = _percent(gettext_lazy("Điểm đầu — từ trái (%)"))
    y1 = _percent(gettext_lazy("Điểm đầu — từ trên (%)"))
    x2 = _percent(gettext_lazy("Điểm cuối — từ trái (%)"))
    y2 = _percent(gettext_lazy("Điểm cuối — từ trên (%)"))
    label = forms.CharField(label=gettext_lazy("Nhãn"), max_length=MAX_LABEL, required=False)

    def shape(self) -> dict[str, Any]:
        data = self.cleaned_data
        points = {k: float(data[k]) / 100 for k in ("x1", "y1", "x2", "y2")}
        return {"kind": data["kind"], **points, "label": data["label"]}


def _photo_for(request: HttpRequest, pk: Any) -> EvidencePhoto:
    photo = (
        policies.photos_for(request.user)
        .select_related("inspection__round", "criterion", "uploaded_by")
        .filter(pk=pk)
        .first()
    )
    if photo is None:
        raise Http404(_("Không tìm thấy ảnh."))
    return photo


def _page(
    request: HttpRequest,
    photo: EvidencePhoto,
    *,
    blur_form: BlurForm | None = None,
    shape_form: ShapeForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    inspection = photo.inspection
    back = ""
    if inspection is not None and policies.may_edit_inspection(request.user, inspection):
        code = photo.criterion.code if photo.criterion else ""
        back = reverse("checklist", args=[inspection.pk]) + (f"#c-{code}" if code else "")
    elif inspection is not None:
        back = reverse("result", args=[inspection.pk])
    context = {
        "photo": photo,
        "inspection": inspection,
        "back": back,
        "may_blur": policies.may_blur_photo(request.user, photo),
        "may_annotate": policies.may_annotate_photo(request.user, photo),
        "original_kept": original_kept(photo),
        "shapes": list(enumerate(photo.annotations or [])),
        "regions": list(enumerate(photo.blur_regions or [])),
        "blur_form": blur_form or BlurForm(),
        "shape_form": shape_form or ShapeForm(),
        "error": error,
    }
    return render(request, "web/photo.html", context, status=status)


@login_required
def photo_page(request: HttpRequest, pk: Any) -> HttpResponse:
    photo = _photo_for(request, pk)
    if not photo.display:
        return redirect("api:photo-file", photo.pk, "display")  # a PDF: nothing to draw on
    return _page(request, photo)


def _apply(
    request: HttpRequest, photo: EvidencePhoto, change: Any, **forms_shown: Any
) -> HttpResponse:
    try:
        change()
    except DomainError as error:
        status = form_refusal(error)
        photo.refresh_from_db()
        return _page(request, photo, error=message_of(error), status=status, **forms_shown)
    messages.success(request, _("Đã lưu ảnh."))
    return redirect("photo", photo.pk)


@login_required
@require_POST
def blur_add(request: HttpRequest, pk: Any) -> HttpResponse:
    photo = _photo_for(request, pk)
    form = BlurForm(request.POST)
    if not form.is_valid():
        return _page(request, photo, blur_form=form, status=400)
    by = policies.acting(request.user)
    return _apply(
        request,
        photo,
        lambda: services.photo_blur_add(by=by, photo=photo, region=form.region()),
        blur_form=form,
    )


@login_required
@require_POST
def blur_remove(request: HttpRequest, pk: Any, index: int) -> HttpResponse:
    photo = _photo_for(request, pk)
    by = policies.acting(request.user)
    return _apply(
        request, photo, lambda: services.photo_blur_remove(by=by, photo=photo, index=index)
    )


@login_required
@require_POST
def shape_add(request: HttpRequest, pk: Any) -> HttpResponse:
    photo = _photo_for(request, pk)
    form = ShapeForm(request.POST)
    if not form.is_valid():
        return _page(request, photo, shape_form=form, status=400)
    by = policies.acting(request.user)
    return _apply(
        request,
        photo,
        lambda: services.photo_shape_add(by=by, photo=photo, shape=form.shape()),
        shape_form=form,
    )


@login_required
@require_POST
def shape_remove(request: HttpRequest, pk: Any, index: int) -> HttpResponse:
    photo = _photo_for(request, pk)
    by = policies.acting(request.user)
    return _apply(
        request, photo, lambda: services.photo_shape_remove(by=by, photo=photo, index=index)
    )
