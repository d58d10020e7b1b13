"""The admin's password form for a user writes through `services.accounts`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inspections.models import Event, Profile
from tests.accounts import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TEMPORARY = "Tam-thoi-2027"
OWN = "Cua-rieng-toi-2027"


@pytest.fixture
def it_officer(cast: Any) -> Any:
    user = make_user("quantri", None, None)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def password_url(user: Any) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def test_a_password_set_in_the_admin_must_be_changed_at_the_next_sign_in(
    it_officer: Any, cast: Any
) -> None:
    admin = sign_in(it_officer)
    form = admin.get(password_url(cast.ward_office))
    assert form.status_code == 200
    assert 'name="usable_password"' not in form.content.decode()
    other_session = sign_in(cast.ward_office)

    saved = admin.post(
        password_url(cast.ward_office), {"password1": TEMPORARY, "password2": TEMPORARY}
    )
    assert saved.status_code == 302
    cast.ward_office.refresh_from_db()
    assert cast.ward_office.check_password(TEMPORARY)
    assert Profile.objects.get(user=cast.ward_office).must_change_password
    assert Event.objects.filter(
        actor=it_officer, action="password_set_by_admin", object_id=str(cast.ward_office.pk)
    ).exists()
    # The person's own session ended with the old password.
    assert other_session.get(reverse("home"))["Location"].startswith(reverse("login"))

    person = Client()
    person.post(reverse("login"), {"username": "panlac", "password": TEMPORARY})
    assert person.get(reverse("home"))["Location"].startswith(reverse("password-change"))


def test_the_admin_form_cannot_disable_password_sign_in(it_officer: Any, cast: Any) -> None:
    admin = sign_in(it_officer)
    refused = admin.post(
        password_url(cast.ward_office), {"usable_password": "false", "unset-password": "1"}
    )
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode()
    cast.ward_office.refresh_from_db()
    assert cast.ward_office.has_usable_password()


def test_a_weak_password_is_refused_on_the_form(it_officer: Any, cast: Any) -> None:
    admin = sign_in(it_officer)
    refused = admin.post(password_url(cast.ward_office), {"password1": "123", "password2": "123"})
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode()
    assert not Profile.objects.filter(user=cast.ward_office, must_change_password=True).exists()


def test_the_it_officer_setting_their_own_password_stays_signed_in(it_officer: Any) -> None:
    admin = sign_in(it_officer)
    saved = admin.post(password_url(it_officer), {"password1": OWN, "password2": OWN})
    assert saved.status_code == 302
    it_officer.refresh_from_db()
    assert it_officer.check_password(OWN)
    assert not Profile.objects.get(user=it_officer).must_change_password
    assert admin.get(reverse("admin:index")).status_code == 200


def test_a_password_typed_when_the_admin_adds_an_account_must_be_changed(
    it_officer: Any, cast: Any
) -> None:
    admin = sign_in(it_officer)
    added = admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nguoimoi",
            "usable_password": "true",
            "password1": TEMPORARY,
            "password2": TEMPORARY,
        },
    )
    assert added.status_code == 302
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(username="nguoimoi")
    assert person.check_password(TEMPORARY)
    assert Profile.objects.get(user=person).must_change_password
    assert Event.objects.filter(action="password_set_by_admin", object_id=str(person.pk)).exists()
