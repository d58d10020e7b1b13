"""What every sign-in door (the web, the admin, POST /api/v1/auth/token/) shares beside the limits
of inspections/ratelimits.py: the longest username it hands to authenticate(), and the failures
django-axes counts (AXES_HANDLER)."""

from __future__ import annotations

from typing import Any

from axes.handlers.base import AbstractAxesHandler
from axes.handlers.cache import AxesCacheHandler
from axes.handlers.database import AxesDatabaseHandler
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from inspections.ratelimits import login_wait

# Django's own placeholder: the API's serializer field fills it as the web's form does.
USERNAME_TOO_LONG = gettext_lazy("Tên đăng nhập dài tối đa %(limit_value)d ký tự.")


def username_max_length() -> int:
    """No account's username is longer (auth.User: 150), nor could axes record one that is."""
    user_model = get_user_model()
    return int(getattr(user_model._meta.get_field(user_model.USERNAME_FIELD), "max_length", 150))


class SignInForm(AuthenticationForm):
    """Django's sign-in form, whose length check on the username is only the browser's: a
    longer one is a field error here, and clean() then never calls authenticate()."""

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        limit = username_max_length()
        if len(username) > limit:
            raise ValidationError(
                USERNAME_TOO_LONG, code="max_length", params={"limit_value": limit}
            )
        return username


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), with the same check."""


class _NotWhenRateLimited(AbstractAxesHandler):
    """Django reports every authenticate() a backend stopped as a failed sign-in, the limit per
    address's too; no password was checked, so axes must not count it against the username
    (else the right password typed while refused would lock the account for an hour)."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None and login_wait(request) is not None:
            return
        super().user_login_failed(sender, credentials, request, **kwargs)


class DatabaseHandler(_NotWhenRateLimited, AxesDatabaseHandler):
    """The lockout state in the database (no Redis)."""


class CacheHandler(_NotWhenRateLimited, AxesCacheHandler):
    """The lockout state in the shared cache (Redis)."""
