"""Internal Affairs' catalogue edition pages: a new draft, its forms, preview, diff, publish,
the criteria workbook; a published edition read-only; every other role refused."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from openpyxl import load_workbook

from inspections.catalogue_workbook import SHEET
from inspections.models import Criterion, Event, ModelVersion
from inspections.services import version_new_draft
from tests.accounts import sign_in
from web.fields import PointsField, WholeNumberField


@pytest.fixture
def draft(version: Any) -> ModelVersion:
    return version_new_draft(source=version, by=None)


def criterion_form(criterion: Criterion, **changes: Any) -> dict[str, Any]:
    """The criterion page's form as it comes filled in, with `changes` typed over it."""
    data: dict[str, Any] = {
        "section": str(criterion.section_id),
        "code": criterion.code,
        "order": str(criterion.order),
        "text": criterion.text,
        "text_en": criterion.text_en,
        "guidance": criterion.guidance,
        "guidance_en": criterion.guidance_en,
        "answer_type": criterion.answer_type,
        "max_points": str(criterion.max_points).replace(".", ","),
        "evidence": criterion.evidence,
        "bands-TOTAL_FORMS": str(len(criterion.bands) + 2),
        "bands-INITIAL_FORMS": str(len(criterion.bands)),
    }
    for i, band in enumerate(criterion.bands):
        data[f"bands-{i}-minimum"] = band["minimum"]
        data[f"bands-{i}-points"] = band["points"]
    if criterion.critical:
        data["critical"] = "on"
    if criterion.na_allowed:
        data["na_allowed"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_internal_affairs_starts_a_draft_from_the_published_edition(version, cast):
    client = sign_in(cast.internal_affairs)
    listing = client.get(reverse("editions")).content.decode()
    assert version.title in listing and "Tạo bản nháp mới" in listing
    made = client.post(reverse("edition-new", args=[version.pk]))
    draft = ModelVersion.objects.get(based_on=version)
    assert made["Location"] == reverse("edition", args=[draft.pk])
    assert draft.number == 2 and not draft.is_published and draft.criteria.count() == 32
    page = client.get(made["Location"]).content.decode()
    assert "Bản nháp hợp lệ: có thể ban hành." in page


def test_other_roles_never_reach_the_edition_pages(version, cast):
    for user in (cast.leader, cast.inspector, cast.ward_office):
        client = sign_in(user)
        assert client.get(reverse("editions")).status_code == 403
        assert client.post(reverse("edition-new", args=[version.pk])).status_code == 403
    assert ModelVersion.objects.count() == 1


def test_a_published_edition_is_read_only_on_every_page(version, cast):
    client = sign_in(cast.internal_affairs)
    page = client.get(reverse("edition", args=[version.pk])).content.decode()
    assert "chỉ để xem" in page and "Lưu thông tin" not in page and "Sửa xếp loại" not in page
    criterion = version.criteria.get(code="A1")
    for name, args in (
        ("edition-classification", [version.pk]),
        ("edition-sections", [version.pk]),
        ("edition-criterion", [version.pk, criterion.pk]),
        ("edition-criterion-add", [version.pk]),
        ("edition-publish", [version.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 409
    refused = client.post(
        reverse("edition-criterion", args=[version.pk, criterion.pk]),
        criterion_form(criterion, max_points="9"),
    )
    assert refused.status_code == 409
    assert client.post(reverse("edition", args=[version.pk]), {"title": "X"}).status_code == 409
    assert client.post(reverse("edition-delete", args=[version.pk])).status_code == 409
    criterion.refresh_from_db()
    assert criterion.max_points == Decimal("3") and version.title != "X"


def test_a_criterion_is_edited_with_its_bands_as_rows(draft, cast):
    client = sign_in(cast.internal_affairs)
    d1 = draft.criteria.get(code="D1")
    form = client.get(reverse("edition-criterion", args=[draft.pk, d1.pk])).content.decode()
    assert 'name="bands-1-points"' in form and "[{" not in form  # rows, never JSON
    saved = client.post(
        reverse("edition-criterion", args=[draft.pk, d1.pk]),
        criterion_form(d1, max_points="7", **{"bands-0-points": "7", "bands-1-points": "5,5"}),
    )
    assert saved.status_code == 302
    d1.refresh_from_db()
    assert d1.max_points == Decimal("7")
    assert d1.bands[:2] == [{"minimum": "100", "points": "7"}, {"minimum": "98", "points": "5.5"}]
    assert Event.objects.filter(action="catalogue_row_updated", object_id=str(d1.pk)).exists()


def test_a_star_criterion_allowing_na_is_refused_on_that_field(draft, cast):
    client = sign_in(cast.internal_affairs)
    a5 = draft.criteria.get(code="A5")
    refused = client.post(
        reverse("edition-criterion", args=[draft.pk, a5.pk]), criterion_form(a5, na_allowed="on")
    )
    assert refused.status_code == 400
    field = refused.context["form"]["na_allowed"]
    assert "không áp dụng" in " ".join(field.errors)
    a5.refresh_from_db()
    assert a5.critical and not a5.na_allowed


def test_hostile_numbers_are_field_errors_never_a_crash(draft, cast):
    client = sign_in(cast.internal_affairs)
    a1 = draft.criteria.get(code="A1")
    for value in ("١٢", "1e309", "9" * 40, "-1", "0", "²"):
        refused = client.post(
            reverse("edition-criterion", args=[draft.pk, a1.pk]),
            criterion_form(a1, max_points=value, order=value),
        )
        assert refused.status_code == 400, value
        assert refused.context["form"]["max_points"].errors
    a1.refresh_from_db()
    assert a1.max_points == Decimal("3")


def test_the_classification_rows_and_rules_are_saved_together(draft, cast):
    client = sign_in(cast.internal_affairs)
    page = client.get(reverse("edition-classification", args=[draft.pk]))
    levels = page.context["levels"].initial
    data: dict[str, Any] = {
        "levels-TOTAL_FORMS": str(len(levels) + 1),
        "levels-INITIAL_FORMS": str(len(levels)),
        "critical_cap": "dat",
        "top_class_section_minimum": "70",
        "applicable_floor": "70",
    }
    for i, level in enumerate(levels):
        for name in ("code", "name", "name_en"):
            data[f"levels-{i}-{name}"] = level[name]
        data[f"levels-{i}-minimum_score"] = str(level["minimum_score"])
    data["levels-1-minimum_score"] = "82,5"  # Tốt from 80 to 82,5
    saved = client.post(reverse("edition-classification", args=[draft.pk]), data)
    assert saved.status_code == 302
    assert draft.levels.get(code="tot").minimum_score == Decimal("82.5")
    data["critical_cap"] = "vang"
    refused = client.post(reverse("edition-classification", args=[draft.pk]), data)
    assert refused.status_code == 400 and refused.context["form"]["critical_cap"].errors


def test_the_preview_shows_the_checklist_locked_and_saves_nothing(draft, cast):
    client = sign_in(cast.internal_affairs)
    events = Event.objects.count()
    page = client.get(reverse("edition-preview", args=[draft.pk])).content.decode()
    assert "<fieldset disabled" in page and 'id="c-D1"' in page and "Khung điểm" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert Event.objects.count() == events


def test_the_diff_shows_old_and_new_side_by_side(draft, cast):
    client = sign_in(cast.internal_affairs)
    Criterion.objects.filter(version=draft, code="A1").update(max_points=Decimal("4"))
    draft.levels.filter(code="tot").update(minimum_score=Decimal("82.5"))
    page = client.get(reverse("edition-diff", args=[draft.pk])).content.decode()
    assert "Điểm tối đa" in page and "<del>3</del>" in page and "<ins>4</ins>" in page
    assert "<del>80</del>" in page and "<ins>82,5</ins>" in page


def test_publishing_lists_each_problem_linked_to_its_field(draft, cast):
    client = sign_in(cast.internal_affairs)
    Criterion.objects.filter(version=draft, code="D2").update(bands=[])
    page = client.post(reverse("edition-publish", args=[draft.pk]))
    assert page.status_code == 400
    d2 = draft.criteria.get(code="D2")
    link = reverse("edition-criterion", args=[draft.pk, d2.pk]) + "#f-bands"
    assert link in page.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published
    Criterion.objects.filter(version=draft, code="D2").update(
        bands=[{"minimum": "90", "points": "5"}]
    )
    done = client.post(reverse("edition-publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert done.status_code == 302 and draft.is_published


def test_the_criteria_go_out_to_a_workbook_and_come_back(draft, cast):
    client = sign_in(cast.internal_affairs)
    exported = client.get(reverse("edition-export", args=[draft.pk]))
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook[SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 32
    a1 = next(i for i, row in enumerate(rows, 2) if row[1] == "A1")
    sheet.cell(row=a1, column=8, value=5)
    sheet.cell(row=a1, column=3, value="-Giảm rác thải nhựa")
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "tieu-chi.xlsx"
    done = client.post(reverse("edition-import", args=[draft.pk]), {"file": upload})
    assert done.status_code == 302
    criterion = draft.criteria.get(code="A1")
    assert criterion.max_points == Decimal("5") and criterion.text == "-Giảm rác thải nhựa"
    again = load_workbook(
        io.BytesIO(client.get(reverse("edition-export", args=[draft.pk])).content)
    )
    texts = [row[2] for row in again[SHEET].iter_rows(min_row=2, values_only=True)]
    assert "'-Giảm rác thải nhựa" in texts  # safe_cell(): no spreadsheet runs it


def test_query_counts_of_the_list_and_diff_do_not_grow_with_rows(
    draft, version, cast, django_assert_max_num_queries
):
    client = sign_in(cast.internal_affairs)
    client.get(reverse("editions"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("editions"))
        client.get(reverse("edition-diff", args=[draft.pk]))
    before = len(few.captured_queries)
    for _number in range(3):
        version_new_draft(source=version, by=None)
    Criterion.objects.filter(version=draft).update(max_points=Decimal("9"))
    with django_assert_max_num_queries(before) as more:
        client.get(reverse("editions"))
        client.get(reverse("edition-diff", args=[draft.pk]))
    assert len(more.captured_queries) == before


@pytest.mark.parametrize(
    ("typed", "number"),
    [("4,5", Decimal("4.5")), ("92.50", Decimal("92.5")), (" 100 ", Decimal(100)), ("0", None)],
)
def test_points_are_typed_with_a_comma_or_a_point(typed, number):
    field = PointsField(positive=True)
    if number is None:
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
    else:
        assert field.clean(typed) == number


@pytest.mark.parametrize("typed", ["١٢", "²", "1e3", "1_0", "9" * 40, "-1", "100,001", "12,3,4"])
def test_numbers_that_are_not_plain_ascii_are_refused(typed):
    for field in (PointsField(), WholeNumberField()):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
