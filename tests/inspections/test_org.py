from __future__ import annotations

import pytest

from inspections.models import OrgUnit
from inspections.vietnamese import vietnamese_sort_key
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

VIETNAMESE_ORDER = [
    "An Bình",
    "Anh Dũng",
    "Ăn Uống",
    "Âu Cơ",
    "Bắc Sơn",
    "Dương Nội",
    "Đông Hòa",
    "Ê Đê",
    "Ô Chợ Dừa",
    "Ơn Nghĩa",
    "Ưng Hòa",
]


def test_unit_lists_sort_in_vietnamese_order_on_this_database():
    for name in reversed(VIETNAMESE_ORDER):
        OrgUnitFactory(name=name)
    assert list(OrgUnit.objects.values_list("name", flat=True)) == VIETNAMESE_ORDER


def test_tones_only_break_ties_between_the_same_letters():
    names = ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]
    assert sorted(reversed(names), key=vietnamese_sort_key) == names


def test_the_sort_key_follows_a_rename():
    unit = OrgUnitFactory(name="Zeta")
    unit.name = "Đông Hòa"
    unit.save()
    assert unit.sort_key == vietnamese_sort_key("Đông Hòa")


def test_descendants_are_found_at_any_depth(org):
    assert org.school.is_within(org.city)
    assert org.school.is_within(org.ward)
    assert not org.ward.is_within(org.school)
    assert not org.tai_chinh.is_within(org.noi_vu)


def test_saving_a_unit_never_moves_it_behind_the_services_back(org):
    org.ward.parent = org.noi_vu
    with pytest.raises(ValueError, match="unit_move"):
        org.ward.save()
    org.ward.refresh_from_db()
    assert org.ward.parent == org.city


def test_a_stale_copy_saved_after_a_move_keeps_the_new_path(org, cast):
    from inspections.services import unit_move

    stale = OrgUnit.objects.get(pk=org.school.pk)
    unit_move(by=cast.internal_affairs, unit=org.ward, parent=org.noi_vu)
    stale.name = "Trường Tiểu học An Lạc mới"
    stale.save()
    stale.refresh_from_db()
    assert stale.path == f"{org.noi_vu.path}{org.ward.pk}/{org.school.pk}/"
    assert stale.name == "Trường Tiểu học An Lạc mới"
