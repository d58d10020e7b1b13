"""The survey's pages: desks and posters for the office and Internal Affairs, the public page
citizens open from the QR code (no sign-in, no JavaScript), moderation and the overview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inspections import policies
from inspections.documents.qr import qr_data_uri
from inspections.documents.surveys import poster_pdf, survey_url
from inspections.errors import DomainError
from inspections.models import OrgUnit, RoleKind, SurveyPoint
from inspections.ratelimits import client_ip
from inspections.selectors.surveys import (
    active_point,
    point_comments,
    survey_overview,
    survey_point_list,
    visible_point,
    visible_response,
)
from inspections.services.surveys import (
    SurveyAnswers,
    survey_comment_hide,
    survey_comment_release,
    survey_point_create,
    survey_point_set_active,
    survey_submit,
)
from web.errors import form_refusal, message_of, refusal_page
from web.survey_forms import HideCommentForm, PublicSurveyForm, SurveyPointForm

REPEAT_HOURS = 12  # a browser that answered a desk within this is not counted again
COOKIE_SALT = "web.surveys.answered"


def _manageable_units(request: HttpRequest) -> Any:
    if policies.is_internal_affairs(request.user):
        return OrgUnit.objects.filter(valid_to__isnull=True).order_by("sort_key")
    return OrgUnit.objects.filter(
        policies.within(policies.units_where(request.user, RoleKind.OFFICE)), valid_to__isnull=True
    ).order_by("sort_key")


@login_required
@require_http_methods(["GET", "POST"])
def survey_points(request: HttpRequest) -> HttpResponse:
    units = _manageable_units(request)
    if not units.exists() and not policies.sees_everything(request.user):
        raise PermissionDenied(_("Bạn không quản lý điểm khảo sát nào."))
    form = SurveyPointForm(request.POST if request.method == "POST" else None, units=units)
    if not policies.is_internal_affairs(request.user):
        form.fields["unit"].empty_label = None  # type: ignore[attr-defined]  # its own unit first
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            point = survey_point_create(
                by=policies.acting(request.user),
                unit=form.cleaned_data["unit"],
                desk=form.cleaned_data["desk"],
            )
        except DomainError as error:
            status = form_refusal(error)
            form.add_error("desk", message_of(error))
        else:
            messages.success(request, _("Đã tạo điểm khảo sát. Hãy in áp phích để đặt tại quầy."))
            return redirect("survey-point", pk=point.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "points": survey_point_list(request.user),
        "form": form if units.exists() else None,
        "overview": policies.may_read_survey_overview(request.user),
        "onestop": policies.may_import_onestop(request.user),
    }
    return render(request, "web/surveys/points.html", context, status=status)


@login_required
def survey_point(request: HttpRequest, pk: Any) -> HttpResponse:
    point = visible_point(request.user, pk)
    listed = next(p for p in survey_point_list(request.user) if p.pk == point.pk)
    context = {
        "point": listed,
        "url": survey_url(point),
        "comments": point_comments(request.user, point),
        "moderates": policies.may_moderate_comments(request.user, point),
        "releases": policies.may_release_comments(request.user),
        "hide_form": HideCommentForm(),
    }
    return render(request, "web/surveys/point.html", context)


@login_required
@require_POST
def survey_point_active(request: HttpRequest, pk: Any) -> HttpResponse:
    point = visible_point(request.user, pk)
    active = request.POST.get("active") == "1"
    survey_point_set_active(by=policies.acting(request.user), point=point, active=active)
    messages.success(
        request, _("Đã mở lại phiếu khảo sát.") if active else _("Đã ngừng nhận ý kiến.")
    )
    return redirect("survey-point", pk=point.pk)


@login_required
def survey_poster(request: HttpRequest, pk: Any) -> HttpResponse:
    """The A4 poster as a page to print from the browser (the PDF is the other door)."""
    point = visible_point(request.user, pk)
    url = survey_url(point)
    context = {"point": point, "url": url, "qr": qr_data_uri(url, scale=8)}
    return render(request, "web/surveys/poster.html", context)


@login_required
def survey_poster_file(request: HttpRequest, pk: Any) -> HttpResponse:
    point = visible_point(request.user, pk)
    response = HttpResponse(poster_pdf(point), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="khao-sat-{point.pk}.pdf"'
    return response


@login_required
@require_POST
def survey_comment_hide_page(request: HttpRequest, pk: Any) -> HttpResponse:
    response = visible_response(request.user, pk)
    form = HideCommentForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        survey_comment_hide(by=policies.acting(request.user), response=response, reason=reason)
    except DomainError as error:
        form_refusal(error)
        messages.error(request, message_of(error))
    else:
        messages.success(request, _("Đã ẩn góp ý."))
    return redirect("survey-point", pk=response.point_id)


@login_required
@require_POST
def survey_comment_release_page(request: HttpRequest, pk: Any) -> HttpResponse:
    response = visible_response(request.user, pk)
    try:
        survey_comment_release(by=policies.acting(request.user), response=response)
    except DomainError as error:
        form_refusal(error)
        messages.error(request, message_of(error))
    else:
        messages.success(request, _("Góp ý đã hiển thị cho đơn vị."))
    return redirect("survey-point", pk=response.point_id)


@login_required
def survey_overview_page(request: HttpRequest) -> HttpResponse:
    if not policies.may_read_survey_overview(request.user):
        raise PermissionDenied(_("Trang này dành cho Phòng Nội vụ và lãnh đạo."))
    overview = survey_overview(request.user)
    return render(request, "web/surveys/overview.html", {"overview": overview})


# --- The public page --------------------------------------------------------------------------


def _cookie_name(point: SurveyPoint) -> str:
    return f"ykien_{point.pk}"


def _language(request: HttpRequest) -> str:
    """Vietnamese first, whatever the phone's settings; English only when asked for."""
    return "en" if request.GET.get("lang") == "en" else "vi"


def _in_language(lang: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    """A public page in the language it shows, and saying so: LocaleMiddleware would label it
    with the visitor's language, not this page's."""
    with translation.override(lang):
        response = page()
    response["Content-Language"] = lang
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """What a citizen opens from the poster: three questions and a comment, in Vietnamese."""
    lang = _language(request)
    return _in_language(lang, lambda: _survey_public(request, token, lang))


def _survey_public(request: HttpRequest, token: str, lang: str) -> HttpResponse:
    point = active_point(token)
    form = PublicSurveyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            repeat = (
                request.get_signed_cookie(
                    _cookie_name(point),
                    default=None,
                    salt=COOKIE_SALT,
                    max_age=REPEAT_HOURS * 3600,
                )
                is not None
            )
            submission = survey_submit(
                point=point,
                answers=SurveyAnswers(
                    data["satisfaction"], data["on_time"], data["attitude"], data["comment"]
                ),
                address=client_ip(request),
                repeat=repeat,
            )
            if submission.refused is not None:
                # Nothing stored: the form again, as they filled it in, under the refusal.
                return refusal_page(
                    request,
                    submission.refused,
                    "web/surveys/public.html",
                    {"point": point, "form": form, "lang": lang},
                )
            done = redirect(
                reverse("survey-thanks", args=[point.token]) + ("?lang=en" if lang == "en" else "")
            )
            done.set_signed_cookie(
                _cookie_name(point),
                "1",
                salt=COOKIE_SALT,
                max_age=REPEAT_HOURS * 3600,
                path=f"/y-kien/{point.token}/",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return done
    context = {"point": point, "form": form, "lang": lang}
    return render(request, "web/surveys/public.html", context, status=status)


@never_cache
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    lang = _language(request)

    def thanks() -> HttpResponse:
        point = active_point(token)
        return render(request, "web/surveys/public_thanks.html", {"point": point, "lang": lang})

    return _in_language(lang, thanks)
