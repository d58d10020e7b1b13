"""Internal Affairs' people pages and each role's home."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from inspections.models import Event, RoleKind, UserRole
from inspections.services.people import person_create, role_grant
from tests.accounts import sign_in
from tests.factories import make_user


def test_the_list_sorts_by_given_name_and_filters_by_role_and_words(cast: Any, org: Any) -> None:
    make_user("tuan", RoleKind.INSPECTOR, org.tai_chinh, "Lê Minh Tuấn")
    make_user("an", RoleKind.OFFICE, org.ward, "Nguyễn Văn An")
    client = sign_in(cast.internal_affairs)
    html = client.get(reverse("people")).content.decode()
    names = re.findall(r'<th scope="row"><a href="/nguoi-dung/\d+/">([^<]+)</a>', html)
    assert names.index("Nguyễn Văn An") < names.index("Lê Minh Tuấn")
    office = client.get(reverse("people"), {"role": "office", "q": "văn"}).content.decode()
    assert "Nguyễn Văn An" in office and "Lê Minh Tuấn" not in office
    assert client.get(reverse("people"), {"unit": "x"}).status_code == 400
    for user in (cast.leader, cast.inspector):
        assert sign_in(user).get(reverse("people")).status_code == 403


def test_internal_affairs_adds_edits_grants_withdraws_and_deactivates(cast: Any, org: Any) -> None:
    client = sign_in(cast.internal_affairs)
    made = client.post(
        reverse("person-add"),
        {"username": "chi", "full_name": "Võ  Thị Chi", "email": "", "language": "vi"},
    )
    person = get_user_model().objects.get(username="chi")
    assert made["Location"] == reverse("person", args=[person.pk])
    assert person.profile.full_name == "Võ Thị Chi" and not person.has_usable_password()
    taken = client.post(
        reverse("person-add"),
        {"username": "chi", "full_name": "Khác", "email": "", "language": "vi"},
    )
    assert taken.status_code == 400 and "đã có người dùng" in taken.content.decode()
    url = reverse("person-role-add", args=[person.pk])
    no_unit = client.post(url, {"kind": "inspector"})
    assert no_unit.status_code == 400 and "cần một đơn vị" in no_unit.content.decode()
    assert client.post(url, {"kind": "inspector", "unit": "STC"}).status_code == 302
    role = UserRole.objects.get(user=person)
    client.post(reverse("person-role-remove", args=[person.pk, role.pk]))
    assert not UserRole.objects.filter(user=person).exists()
    client.post(
        reverse("person", args=[person.pk]), {"full_name": "Võ Thị Kim Chi", "language": "en"}
    )
    person.profile.refresh_from_db()
    assert (person.profile.full_name, person.profile.language) == ("Võ Thị Kim Chi", "en")
    client.post(reverse("person-state", args=[person.pk, "khoa"]))
    person.refresh_from_db()
    assert not person.is_active
    client.post(reverse("person-state", args=[person.pk, "mo-khoa"]))
    person.refresh_from_db()
    assert person.is_active
    actions = set(Event.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert {
        "person_created",
        "person_updated",
        "person_deactivated",
        "person_reactivated",
    } <= actions
    role_events = Event.objects.filter(object_type="userrole", data__user="chi")
    assert {"role_granted", "role_revoked"} <= set(role_events.values_list("action", flat=True))


def test_internal_affairs_cannot_revoke_its_own_role_or_lock_itself(cast: Any) -> None:
    client = sign_in(cast.internal_affairs)
    me = cast.internal_affairs
    own = UserRole.objects.get(user=me, kind=RoleKind.INTERNAL_AFFAIRS)
    client.post(reverse("person-role-remove", args=[me.pk, own.pk]))
    client.post(reverse("person-state", args=[me.pk, "khoa"]))
    me.refresh_from_db()
    assert me.is_active and UserRole.objects.filter(pk=own.pk).exists()


def test_a_printed_invitation_sheet_has_a_qr_code_per_person(cast: Any) -> None:
    person = person_create(by=cast.internal_affairs, username="moi", full_name="Đỗ Văn Mới")
    html = (
        sign_in(cast.internal_affairs)
        .post(reverse("invitation-sheets"), {"person": [person.pk]})
        .content.decode()
    )
    assert html.count('src="data:image/svg+xml') == 1 and "/moi/" in html
    assert "Đỗ Văn Mới" in html


def test_each_role_lands_on_its_own_home(cast: Any, org: Any) -> None:
    home = reverse("home")
    assert "Việc của tôi" in sign_in(cast.inspector).get(home).content.decode()
    assert sign_in(cast.ward_office).get(home)["Location"] == reverse("unit-home")
    assert sign_in(cast.leader).get(home)["Location"] == reverse("dashboard")
    ia = sign_in(cast.internal_affairs).get(home).content.decode()
    assert "phiếu chờ duyệt" in ia and "phân công quá hạn" in ia
    role_grant(by=cast.internal_affairs, user=cast.inspector, kind=RoleKind.OFFICE, unit=org.noi_vu)
    both = sign_in(cast.inspector).get(home).content.decode()
    assert "Việc của tôi" in both and "Đơn vị của tôi" in both
