"""The page of a sign-in locked by django-axes (AXES_LOCKOUT_CALLABLE): when it ends, a way back."""

from __future__ import annotations

import datetime
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.errors import TooMany, wait_minutes
from web.errors import refusal_page


def lockout_ends_at(request: HttpRequest, credentials: Any = None) -> datetime.datetime:
    """The last failure counted against this sign-in, plus the cool-off. Axes counts an attempt
    made while locked too (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, on), so each retry
    pushes the end further away; with that setting off the end stays where the lock began."""
    now = timezone.now()
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    handler = AxesProxyHandler.get_implementation()
    attempts = getattr(handler, "get_user_attempts", None)  # the database handler's
    if attempts is None:
        return now + cool_off
    latest = (
        qs.aggregate(last=Max("attempt_time"))["last"] for qs in attempts(request, credentials)
    )
    found = [when for when in latest if when is not None]
    return (max(found) if found else now) + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The API's token endpoint answers its own lockout (JSON 429, Retry-After); keep it.
    Every other sign-in form gets the page."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    ends_at = lockout_ends_at(request, credentials)
    refused = TooMany(
        _("Đăng nhập sai quá nhiều lần"),
        wait=(ends_at - timezone.now()).total_seconds(),
        code="locked_out",
    )
    context = {
        "ends_at": ends_at,
        "minutes": wait_minutes(refused.retry_after),
        "back": request.get_full_path(),
        "retry_extends": settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT,
    }
    return refusal_page(request, refused, "errors/lockout.html", context)
