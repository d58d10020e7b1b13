"""People pages for Internal Affairs: list, add, edit, (de)activate, roles, invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import policies, selectors
from inspections.errors import DomainError, http_status
from inspections.models import OrgUnit, RoleKind, UserRole
from inspections.numbers import ascii_int
from inspections.selectors.filters import PersonFilter
from inspections.services import accounts, people
from web import lists
from web.errors import message_of
from web.rounds import add_domain_errors
from web.two_factor import qr_data_uri


class PersonForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Ngôn ngữ"), choices=settings.LANGUAGES)


class NewPersonForm(PersonForm):
    username = forms.CharField(
        label=gettext_lazy("Tên đăng nhập"),
        max_length=150,
        validators=[RegexValidator(r"^[\w.@+-]+\Z", gettext_lazy("Chỉ chữ, số và . @ + - _"))],
    )
    field_order = ["username", "full_name", "email", "language"]


class RoleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=RoleKind.choices)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị"),
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        required=False,
        to_field_name="code",
    )


def _require(request: HttpRequest) -> None:
    if not policies.may_manage_people(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được quản lý người dùng."))


def _person(request: HttpRequest, pk: int) -> Any:
    _require(request)
    person = get_user_model().objects.filter(pk=pk, is_superuser=False).first()
    if person is None:
        raise Http404(_("Không tìm thấy người dùng."))
    return person


@login_required
def people_page(request: HttpRequest) -> HttpResponse:
    _require(request)
    # A bad filter is a DomainError: the middleware's 400 page shows it, escaped (a bare
    # HttpResponseBadRequest would send the posted value back as HTML).
    rows = list(selectors.people_list(query=request.GET))
    filters = lists.filter_form(
        PersonFilter, request.GET, pickers={"unit": lists.unit_choices(request.user)}
    )
    context = {
        "people": rows,
        "filters": filters,
        "filtered": lists.is_filtered(PersonFilter, request.GET),
    }
    return render(request, "web/people/list.html", context)


@login_required
def person_add(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = NewPersonForm(request.POST or None, initial={"language": "vi"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                person = people.person_create(by=policies.acting(request.user), **form.cleaned_data)
            except DomainError as refused:
                add_domain_errors(form, refused)
                status = http_status(refused)
            else:
                messages.success(request, _("Đã thêm người dùng và gửi lời mời (nếu có email)."))
                return redirect("person", pk=person.pk)
    return render(request, "web/people/add.html", {"form": form}, status=status)


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    profile = accounts.profile_of(person)
    form = PersonForm(
        request.POST or None,
        initial={
            "full_name": profile.full_name,
            "email": person.email,
            "language": profile.language,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _updated, changed = people.person_update(
                    by=policies.acting(request.user), user=person, **form.cleaned_data
                )
            except DomainError as refused:
                add_domain_errors(form, refused)
                status = http_status(refused)
            else:
                if changed:
                    messages.success(request, _("Đã lưu."))
                return redirect("person", pk=person.pk)
    return render(request, "web/people/person.html", _context(person, form), status=status)


def _context(person: Any, form: forms.Form, role_form: forms.Form | None = None) -> dict[str, Any]:
    return {
        "person": person,
        "form": form,
        "role_form": role_form or RoleForm(),
        "person_roles": UserRole.objects.filter(user=person)
        .select_related("unit")
        .order_by("kind"),
        "waiting_invitation": not person.has_usable_password(),
    }


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = RoleForm(request.POST)
    status: int = 400
    if form.is_valid():
        try:
            people.role_grant(
                by=policies.acting(request.user),
                user=person,
                kind=form.cleaned_data["kind"],
                unit=form.cleaned_data["unit"],
            )
        except DomainError as refused:
            add_domain_errors(form, refused)
            status = http_status(refused)
        else:
            messages.success(request, _("Đã cấp vai trò."))
            return redirect("person", pk=person.pk)
    context = _context(person, PersonForm(initial=_initial(person)), form)
    return render(request, "web/people/person.html", context, status=status)


def _initial(person: Any) -> dict[str, Any]:
    profile = accounts.profile_of(person)
    return {"full_name": profile.full_name, "email": person.email, "language": profile.language}


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, role_id: int) -> HttpResponse:
    person = _person(request, pk)
    role = UserRole.objects.filter(pk=role_id, user=person).select_related("user", "unit").first()
    if role is None:
        raise Http404(_("Không tìm thấy vai trò."))
    _act(request, lambda by: people.role_revoke(by=by, role=role), _("Đã thu hồi vai trò."))
    return redirect("person", pk=person.pk)


@login_required
@require_POST
def person_state(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    person = _person(request, pk)
    if step == "khoa":
        _act(request, lambda by: people.person_deactivate(by=by, user=person), _("Đã khóa."))
    elif step == "mo-khoa":
        _act(request, lambda by: people.person_reactivate(by=by, user=person), _("Đã mở khóa."))
    elif step == "moi-lai":
        _act(
            request,
            lambda by: accounts.invitation_send(by=by, user=person),
            _("Đã gửi lại lời mời.")
            if person.email
            else _("Đã tạo lời mời mới: hãy in phiếu mời."),
        )
    else:
        raise Http404(step)
    return redirect("person", pk=person.pk)


def _act(request: HttpRequest, action: Any, done: str) -> None:
    try:
        action(policies.acting(request.user))
    except DomainError as refused:
        messages.error(request, message_of(refused))
    else:
        messages.success(request, done)


@login_required
@require_POST
def invitation_sheets(request: HttpRequest) -> HttpResponse:
    """Printable sheets, one per person, each with a fresh link as a QR code (no e-mail)."""
    _require(request)
    # Ids past 64 bits too are dropped: in a list, SQLite raises on them (OverflowError).
    ids = [n for i in request.POST.getlist("person") if (n := ascii_int(i)) is not None][:200]
    chosen = list(selectors.people_list().filter(pk__in=ids))
    sheets, refused = [], []
    for person in chosen:
        try:
            token = accounts.invitation_send(
                by=policies.acting(request.user), user=person, email=False
            )
        except DomainError as error:
            refused.append((person, error.message))
            continue
        link = accounts.invitation_link(token)
        sheets.append({"person": person, "link": link, "qr": qr_data_uri(link)})
    if not sheets and not refused:
        messages.error(request, _("Hãy chọn ít nhất một người."))
        return redirect("people")
    return render(
        request,
        "web/people/sheets.html",
        {"sheets": sheets, "refused": refused, "days": settings.INVITATION_DAYS},
    )
