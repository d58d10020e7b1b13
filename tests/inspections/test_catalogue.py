from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError

from inspections.errors import DomainError
from inspections.models import Criterion, ModelVersion
from inspections.selectors import rules_for_version
from inspections.services import (
    load_reference_catalogue,
    version_new_draft,
    version_publish,
)

pytestmark = pytest.mark.django_db


def test_the_reference_catalogue_loads_as_a_published_version(version):
    assert version.is_published
    assert version.title == "Cơ quan xanh, nơi làm việc ngăn nắp, gọn gàng — 2026"
    assert version.action_due_days == 14
    assert version.critical_cap == "dat"


def test_it_has_32_criteria_worth_100_points_in_sections_of_30_30_25_15(version):
    criteria = Criterion.objects.filter(version=version)
    assert criteria.count() == 32
    assert sum(c.max_points for c in criteria) == Decimal("100")
    per_section = {
        s.code: sum(c.max_points for c in s.criteria.all()) for s in version.sections.all()
    }
    assert per_section == {"A": 30, "B": 30, "C": 25, "D": 15}


def test_its_star_items_are_a5_c1_c6_c7_and_none_allows_na(version):
    critical = Criterion.objects.filter(version=version, critical=True)
    assert sorted(critical.values_list("code", flat=True)) == ["A5", "C1", "C6", "C7"]
    assert not critical.filter(na_allowed=True).exists()


def test_it_is_bilingual_with_bands_for_the_indicators(version):
    d1 = Criterion.objects.get(version=version, code="D1")
    assert d1.text_en == "Share of dossiers resolved on time or early"
    assert d1.bands[0] == {"minimum": "100", "points": "6"}
    a1 = Criterion.objects.get(version=version, code="A1")
    assert "Mức 4" in a1.guidance and "Level 4" in a1.guidance_en


def test_the_classification_levels_run_from_xuat_sac_to_khong_dat(version):
    levels = list(version.levels.values_list("code", "name", "minimum_score"))
    assert levels == [
        ("xuat_sac", "Xuất sắc", Decimal("90")),
        ("tot", "Tốt", Decimal("80")),
        ("kha", "Khá", Decimal("65")),
        ("dat", "Đạt", Decimal("50")),
        ("khong_dat", "Không đạt", Decimal("0")),
    ]


def test_loading_it_twice_keeps_one_version(version):
    assert load_reference_catalogue() == version
    assert ModelVersion.objects.count() == 1


def test_the_scoring_rules_mirror_the_catalogue(version):
    rules = rules_for_version(version)
    assert len(rules.criteria) == 32
    assert [c.code for c in rules.classes] == ["xuat_sac", "tot", "kha", "dat", "khong_dat"]
    assert rules.applicable_floor == Decimal("70")


def test_publishing_a_published_version_again_is_refused(version):
    with pytest.raises(DomainError, match="đã được ban hành"):
        version_publish(version=version, by=None)


def test_a_new_draft_copies_every_criterion_and_can_be_published(version):
    draft = version_new_draft(source=version, by=None)
    assert draft.number == 2 and not draft.is_published and draft.based_on == version
    assert draft.criteria.count() == 32 and draft.levels.count() == 5
    assert version_publish(version=draft, by=None).is_published


def test_an_invalid_draft_is_refused_with_every_problem(version):
    draft = version_new_draft(source=version, by=None)
    draft.levels.filter(code="tot").update(minimum_score=95)
    Criterion.objects.filter(version=draft, code="D1").update(
        bands=[{"minimum": "50", "points": "9"}]
    )
    Criterion.objects.filter(version=draft, code="D2").update(bands=[])
    with pytest.raises(DomainError) as refused:
        version_publish(version=draft, by=None)
    fields = refused.value.fields
    assert "giảm dần" in " ".join(fields["levels"])
    assert "D1.bands" in fields and "D2.bands" in fields
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_database_refuses_a_star_criterion_that_allows_na(version):
    draft = version_new_draft(source=version, by=None)  # a published one refuses any change
    with pytest.raises(IntegrityError):
        Criterion.objects.filter(version=draft, code="A5").update(na_allowed=True)
