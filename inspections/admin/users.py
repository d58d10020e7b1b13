"""Django's user admin, with its password form writing through `services.accounts`.

A password the IT officer types for someone else is temporary: `password_set_by_admin` stores
it, ends that person's sessions and tokens, and makes them choose their own at the next
sign-in. One's own password goes through `password_change` like on the account page. The
"disable password-based authentication" choice is not offered: no service writes it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from inspections import authcache
from inspections.admin.base import refusal_text
from inspections.errors import DomainError
from inspections.policies import Actor, acting
from inspections.services import accounts

User = get_user_model()

# Who is typing the password: set around the admin's own view, read by the form's save.
_typed_by: ContextVar[Actor | None] = ContextVar("password_typed_by", default=None)


class ServicePasswordForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    """The admin's password form without the "disable" choice, saving through a service."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True

    def save(self, commit: bool = True) -> Any:
        by = _typed_by.get()
        if by is None:
            raise RuntimeError("ServicePasswordForm saves only inside the admin's password view")
        password = self.cleaned_data["password1"]
        if by.pk == self.user.pk:
            accounts.password_change(user=self.user, old_password=None, new_password=password)
        else:
            accounts.password_set_by_admin(by=by, user=self.user, password=password)
        self.user.refresh_from_db()
        return self.user


admin.site.unregister(User)


@admin.register(User)
class PersonUserAdmin(UserAdmin):  # type: ignore[type-arg]
    change_password_form = ServicePasswordForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new account's typed password is temporary too: kept through the same service."""
        super().save_model(request, obj, form, change)
        authcache.forget_person(obj.pk)  # active, staff, name: as the services do
        password = form.cleaned_data.get("password1") if not change else None
        if password and obj.has_usable_password():
            accounts.password_set_by_admin(by=acting(request.user), user=obj, password=password)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        reset = _typed_by.set(acting(request.user) if request.user.is_authenticated else None)
        try:
            response: HttpResponse = super().user_change_password(request, id, form_url)
        except DomainError as refused:
            self.message_user(request, refusal_text(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        finally:
            _typed_by.reset(reset)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) == id:
            # One's own new password raised the session epoch: this session carries on.
            request.session[accounts.SESSION_EPOCH_KEY] = accounts.profile_of(
                acting(request.user)
            ).session_epoch
        return response
