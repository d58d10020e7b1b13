"""Signing in and out, the account page, passwords (change, reset, forced) and invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import mail, policies
from inspections.errors import DomainError, Problem, http_status
from inspections.models import Profile
from inspections.services import accounts

EPOCH_KEY = accounts.SESSION_EPOCH_KEY
# Clears this site's caches, IndexedDB (the offline queue) and service worker on logout.
CLEAR_SITE_DATA = '"cache", "storage"'
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def current_epoch(user: Any) -> int:
    """Read fresh: a password change just raised it, the user object may be older."""
    found = Profile.objects.filter(user_id=user.pk).values_list("session_epoch", flat=True)
    return next(iter(found), 0)


def remember_epoch(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On every sign-in (user_logged_in): this session belongs to the account's epoch."""
    if request is not None and hasattr(request, "session"):
        request.session[EPOCH_KEY] = current_epoch(user)


class LogoutView(auth_views.LogoutView):
    """Sign out and let the browser forget this user's offline data (a shared phone)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    from django_otp import devices_for_user

    devices = list(devices_for_user(request.user, confirmed=True))
    return render(
        request,
        "web/accounts/account.html",
        {
            "two_factor": any(d.__class__.__name__ == "TOTPDevice" for d in devices),
            "two_factor_required": policies.needs_two_factor(request.user),
            "my_roles": policies.roles_of(request.user),
        },
    )


@login_required
def password_page(request: HttpRequest) -> HttpResponse:
    """Change one's own password; also the forced change after an admin-set password."""
    user = policies.acting(request.user)
    form = PasswordChangeForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                epoch = accounts.password_change(
                    user=user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except DomainError as refused:
                for field, found in refused.fields.items():
                    form.add_error(field if field in form.fields else None, found)
                status = http_status(refused)
            else:
                update_session_auth_hash(request, user)
                request.session[EPOCH_KEY] = epoch
                messages.success(
                    request,
                    _("Đã đổi mật khẩu. Các phiên đăng nhập khác và mã API cũ đã bị đăng xuất."),
                )
                return redirect("account")
    forced = Profile.objects.filter(user_id=user.pk, must_change_password=True).exists()
    return render(
        request, "web/accounts/password.html", {"form": form, "forced": forced}, status=status
    )


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    accounts.sessions_end_all(user=policies.acting(request.user))
    logout(request)
    messages.success(request, _("Đã đăng xuất khỏi mọi thiết bị."))
    response = redirect("login")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


# --- Invitations -------------------------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person sets a password with a one-time link, then lands on their home."""
    try:
        invited = accounts.invitation_for(token)
    except DomainError as refused:
        status = 404 if refused.problem == Problem.NOT_FOUND else 410
        return render(
            request, "web/accounts/invitation_invalid.html", {"error": refused}, status=status
        )
    form = SetPasswordForm(invited.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except DomainError as refused:
            for field, found in refused.fields.items():
                form.add_error(field if field in form.fields else None, found)
            if not refused.fields:
                return render(
                    request,
                    "web/accounts/invitation_invalid.html",
                    {"error": refused},
                    status=410,
                )
        else:
            logout(request)
            login(request, user, backend=_BACKEND)
            messages.success(request, _("Đã đặt mật khẩu. Chào mừng bạn đến với Công Sở Xanh."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/accounts/invitation.html",
        {"form": form, "invited": invited.user},
        status=status,
    )


# --- Password reset by e-mail (Django's views, our forms and templates) ----------------------


class ResetForm(PasswordResetForm):
    """Django's form; the message goes out through the product's one send function."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.conf import settings

        user = context["user"]
        link = settings.SITE_URL + reverse(
            "password-reset-confirm", args=[context["uid"], context["token"]]
        )
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        mail.send_to_person(
            person=user,
            template="password_reset",
            context={"link": link, "username": user.username, "hours": hours},
        )


class ResetSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """The new password goes through the service: other sessions and tokens end."""

    def save(self, commit: bool = True) -> Any:
        accounts.password_change(
            user=self.user, old_password=None, new_password=self.cleaned_data["new_password1"]
        )
        return self.user


password_reset = auth_views.PasswordResetView.as_view(
    form_class=ResetForm,
    template_name="web/accounts/reset.html",
    success_url=reverse_lazy("password-reset-sent"),
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="web/accounts/reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=ResetSetPasswordForm,
    template_name="web/accounts/reset_confirm.html",
    success_url=reverse_lazy("password-reset-done"),
)
password_reset_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="web/accounts/reset_done.html"
)
