"""The inbox: the list, read and unread, "mark all read", choices, and unsubscribe links."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from inspections import notices, policies, selectors, services
from inspections.errors import DomainError
from inspections.models import (
    MANDATORY_CATEGORIES,
    Category,
    EmailChoice,
    Notification,
)
from inspections.policies import Viewer
from web.errors import form_refusal, message_of

PAGE_SIZE = 30


def own_notification(user: Viewer, pk: int) -> Notification:
    found = Notification.objects.filter(pk=pk, recipient_id=getattr(user, "pk", None)).first()
    if found is None:
        raise Http404(_("Không tìm thấy thông báo."))
    return found


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = selectors.notification_list(user=request.user, query=request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(n, notices.notice_of(n)) for n in page.object_list]
    context = {
        "items": items,
        "page": page,
        "unread_only": request.GET.get("unread") == "true",
    }
    return render(request, "web/notifications/inbox.html", context)


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link: it is read from then on."""
    notification = own_notification(request.user, pk)
    services.notification_read(by=policies.acting(request.user), notification=notification)
    return redirect(notices.link_of(notification.data))


@login_required
@require_POST
def toggle_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = own_notification(request.user, pk)
    by = policies.acting(request.user)
    if notification.read_at is None:
        services.notification_read(by=by, notification=notification)
    else:
        services.notification_unread(by=by, notification=notification)
    return _back(request)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(by=policies.acting(request.user))
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # A URL, never a view name: redirect("²") would look "²" up and fail (a 500).
        return HttpResponseRedirect(target)
    return redirect("notifications")


class PreferencesForm(forms.Form):
    """One choice per category; the mandatory ones without "in the product only"."""

    def __init__(self, *args: Any, initial_choices: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in Category:
            choices = [
                (value, label)
                for value, label in EmailChoice.choices
                if not (category in MANDATORY_CATEGORIES and value == EmailChoice.PRODUCT)
            ]
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=choices,
                initial=initial_choices[category.value],
                widget=forms.RadioSelect,
                help_text=_("Luôn gửi qua e-mail, không tắt được.")
                if category in MANDATORY_CATEGORIES
                else "",
            )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None, initial_choices=selectors.email_choices(request.user)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_set(
                    by=policies.acting(request.user), choices=form.cleaned_data
                )
            except DomainError as refused:
                status = form_refusal(refused)
                form.add_error(None, message_of(refused))
            else:
                messages.success(request, _("Đã lưu cách nhận thông báo."))
                return redirect("notification-preferences")
        else:
            status = 400
    context = {"form": form, "digest_hour": settings.NOTIFY_DIGEST_HOUR}
    return render(request, "web/notifications/preferences.html", context, status=status)


@csrf_exempt  # the signed link is the credential; mail clients POST it in one click (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A GET only asks (link checkers open links); the POST changes the choice."""
    _person, category = services.unsubscribe_target(token)
    label = Category(category).label
    if request.method == "POST":
        _person, category, choice = services.unsubscribe(token=token)
        return render(
            request,
            "web/notifications/unsubscribe.html",
            {"done": True, "category": label, "to_digest": choice == EmailChoice.DIGEST},
        )
    return render(
        request,
        "web/notifications/unsubscribe.html",
        {
            "done": False,
            "category": label,
            "to_digest": services.unsubscribe_choice(category) == EmailChoice.DIGEST,
        },
    )
