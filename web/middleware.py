"""Request steps of the web pages: the account checks of every signed-in request (a session
from before "sign out everywhere" or a password change ends; an account that owes a second
factor or a new password goes to that page first); where a refused action that no view caught
becomes its error page, and a sign-in refused by the limit per address its 429 page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError
from inspections.ratelimits import login_wait, too_many_logins
from inspections.services import two_factor
from web.accounts import EPOCH_KEY
from web.errors import refusal_page

# Pages open to a session that still owes a code or a new password.
_ALWAYS_OPEN = ("/static/", "/i18n/", "/sw.js", "/favicon", "/quyen-rieng-tu/")


class AccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALWAYS_OPEN):
            return self.get_response(request)
        try:
            profile = user.profile
            epoch, must_change = profile.session_epoch, profile.must_change_password
        except ObjectDoesNotExist:
            epoch, must_change = 0, False
        if request.session.get(EPOCH_KEY, 0) != epoch:
            logout(request)
            return self.get_response(request)
        open_paths = (
            reverse("logout"),
            reverse("two-factor"),
            reverse("two-factor-enrol"),
            reverse("password-change"),
            reverse("set_language"),
        )
        if request.path in open_paths:
            return self.get_response(request)
        if policies.needs_verification(user) and not verified(user):
            target = "two-factor" if two_factor.has_second_factor(user) else "two-factor-enrol"
            return self._send_to(request, target, _("Hãy nhập mã xác thực hai bước."))
        if must_change:
            return self._send_to(request, "password-change", _("Hãy đổi mật khẩu trước."))
        return self.get_response(request)

    @staticmethod
    def _send_to(request: HttpRequest, name: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": message, "code": "account_step", "errors": {}},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        url = reverse(name)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


def verified(user: object) -> bool:
    """The session gave a second factor (django-otp's middleware says so)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


class DomainErrorMiddleware:
    """An uncaught DomainError: the status from the one table, the service's message shown.

    The API never gets here: its views answer through api/errors.exception_handler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return refusal_page(request, exception)


class LoginRateLimitMiddleware:
    """The sign-in form cannot tell "wrong password" from "too many attempts": the backend
    that refused (inspections.ratelimits) leaves the wait on the request, and the page the
    form gave is replaced here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        wait = login_wait(request)
        if wait is None or request.path.startswith("/api/"):
            return response
        return refusal_page(
            request,
            too_many_logins(wait),
            "errors/too_many_logins.html",
            {"back": request.get_full_path()},
        )
