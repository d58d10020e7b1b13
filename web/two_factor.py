"""Two-factor pages: enrol an authenticator app (QR code), sign in with a code, recovery codes."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from inspections import policies
from inspections.errors import DomainError, http_status
from inspections.services import two_factor
from web.middleware import verified


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng."),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def qr_data_uri(text: str) -> str:
    """A QR code as an SVG data URI (the CSP allows data: images, never inline markup)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=5, border=2))


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    from base64 import b32encode

    user = policies.acting(request.user)
    if two_factor.has_second_factor(user) and not verified(request.user):
        return redirect("two-factor")
    device = two_factor.totp_pending(user=user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.totp_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as refused:
            form.add_error("code", refused.fields.get("code") or refused.message)
            status = http_status(refused)
        else:
            otp_login(request, device)
            return render(
                request,
                "web/accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    elif request.method == "POST":
        status = 400
    context: dict[str, Any] = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "required": policies.needs_two_factor(user),
        "next": _next(request),
    }
    return render(request, "web/accounts/two_factor_enrol.html", context, status=status)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = policies.acting(request.user)
    if not two_factor.has_second_factor(user):
        return redirect("two-factor-enrol")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            device = two_factor.second_factor_check(user=user, code=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return HttpResponseRedirect(_next(request))  # a URL, never a view name
            form.add_error("code", _("Mã chưa đúng hoặc đã dùng. Hãy thử mã đang hiện."))
    return render(
        request,
        "web/accounts/two_factor.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@login_required
@require_POST
def recovery_renew(request: HttpRequest) -> HttpResponse:
    codes = two_factor.recovery_codes_renew(user=policies.acting(request.user))
    return render(
        request, "web/accounts/recovery_codes.html", {"codes": codes, "next": reverse("account")}
    )


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.two_factor_disable(user=policies.acting(request.user))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("account")
