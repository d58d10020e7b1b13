"""The privacy notice (public) and a person's download of their own data (the account page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections import policies
from inspections.errors import TooMany
from inspections.personal_data_archive import download_headers, personal_data_chunks
from inspections.selectors.retention import retention_summary
from inspections.services.personal_data import personal_data_download
from web.errors import refusal_page


def retention_figures() -> dict[str, Any]:
    """How long things are kept: the evidence periods of the retention rules, the tokens' and
    sessions' lifetimes."""
    ttl = settings.REST_KNOX.get("TOKEN_TTL")
    periods = retention_summary()
    return {
        "original_months": periods.original_months,
        "original_max_days": periods.original_max_days,
        "position_days": periods.position_days,
        "token_days": ttl.days if ttl is not None else 0,
        "session_days": int(getattr(settings, "SESSION_COOKIE_AGE", 0) or 0) // 86400,
    }


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Thông báo về xử lý dữ liệu cá nhân: open to anyone, signed in or not."""
    return render(
        request,
        "web/privacy.html",
        {
            "retention": retention_figures(),
            "contact_email": getattr(settings, "PRIVACY_CONTACT_EMAIL", ""),
        },
    )


@login_required
@require_POST
def personal_data(request: HttpRequest) -> HttpResponseBase:
    """The person's own data as a ZIP, streamed; a form post (CSRF) because it is recorded
    (so a HEAD, like a GET, is a 405 and records nothing). Too many downloads this hour: the
    429 page says when to come back, with Retry-After, and leads back to the account page."""
    person = policies.acting(request.user)
    try:
        personal_data_download(by=person, person=person)
    except TooMany as refused:
        back = reverse("account") + "#personal-data-title"
        return refusal_page(
            request, refused, context={"back": back, "back_label": _("Quay lại trang Tài khoản")}
        )
    return StreamingHttpResponse(personal_data_chunks(person), headers=download_headers(person))
