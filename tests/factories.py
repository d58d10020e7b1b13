"""factory-boy factories and small builders shared by the tests."""

from __future__ import annotations

import datetime
import io
from typing import Any

import factory
from django.contrib.auth import get_user_model
from faker import Faker
from PIL import Image

from inspections.models import Group, OrgUnit, Profile, RoleKind, UserRole

_FAKE = Faker("vi_VN")
_MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Hữu", "Thanh")
# Given names no test writes by hand: a drawn name can then never equal a fixed one
# ("Nguyễn Văn An"), which a test counting or ordering names would trip on.
_GIVEN = ("Khánh", "Khoa", "Lộc", "Quân", "Vy", "Yến", "Oanh", "Hiếu", "Quyên", "Thắng", "Uyên")


def vietnamese_name() -> str:
    """Họ, tên đệm, tên: Faker's vi_VN names come in Western order (and "John")."""
    return " ".join(
        [_FAKE.last_name(), _FAKE.random_element(_MIDDLE), _FAKE.random_element(_GIVEN)]
    )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"khoi-{n}")
    name = factory.Faker("company", locale="vi_VN")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"DV{n:04d}")
    name = factory.Faker("company", locale="vi_VN")
    valid_from = datetime.date(2025, 7, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("matkhau-thu-nghiem")

    @factory.post_generation
    def full_name(user: Any, create: bool, extracted: str | None, **kwargs: Any) -> None:
        """Every user gets a profile: "Họ và tên" as given, or a Vietnamese name from Faker."""
        if create:
            name = extracted or vietnamese_name()
            Profile.objects.get_or_create(user=user, defaults={"full_name": name})


def make_user(
    username: str, role: RoleKind | None, unit: OrgUnit | None, full_name: str | None = None
) -> Any:
    user = UserFactory(username=username, full_name=full_name)
    if role is not None:
        UserRole.objects.create(user=user, kind=role, unit=unit)
    return user


class Org:
    """A small organisation tree with two groups, enough for every permission rule."""

    city: OrgUnit
    noi_vu: OrgUnit
    thi_dua: OrgUnit
    tai_chinh: OrgUnit
    ward: OrgUnit
    school: OrgUnit
    departments: Group
    wards: Group

    @classmethod
    def build(cls) -> Org:
        org = cls()
        org.departments = GroupFactory(code="so-nganh", name="Khối sở, ban, ngành")
        org.wards = GroupFactory(code="phuong-xa", name="Khối phường, xã")
        org.city = OrgUnitFactory(code="UBND", name="Ủy ban nhân dân thành phố Đông Hải")
        org.noi_vu = OrgUnitFactory(
            code="SNV", name="Sở Nội vụ", parent=org.city, group=org.departments
        )
        org.thi_dua = OrgUnitFactory(
            code="BTDKT", name="Ban Thi đua – Khen thưởng", parent=org.noi_vu, group=org.departments
        )
        org.tai_chinh = OrgUnitFactory(
            code="STC", name="Sở Tài chính", parent=org.city, group=org.departments
        )
        org.ward = OrgUnitFactory(
            code="PANLAC", name="Phường An Lạc", parent=org.city, group=org.wards
        )
        org.school = OrgUnitFactory(
            code="THANLAC", name="Trường Tiểu học An Lạc", parent=org.ward, group=org.wards
        )
        return org


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (40, 160, 90)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()
