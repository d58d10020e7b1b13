"""A published version and everything under it never change, by any path; a draft is edited
through `services.drafts`, each edit recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from inspections.errors import Problem
from inspections.models import (
    ClassificationLevel,
    Criterion,
    EmulationModel,
    Event,
    ModelVersion,
    PublishedVersionFrozen,
    Section,
)
from inspections.services import (
    catalogue_row_delete,
    catalogue_row_save,
    emulation_model_save,
    version_draft_delete,
    version_draft_save,
    version_new_draft,
    version_publish,
)
from tests.inspections.builders import refusal

pytestmark = pytest.mark.django_db


def _snapshot(version: ModelVersion) -> list[tuple[object, ...]]:
    return [
        *ModelVersion.objects.filter(pk=version.pk).values_list("title", "status"),
        *Criterion.objects.filter(version=version).values_list("code", "max_points", "text"),
        *Section.objects.filter(version=version).values_list("code", "title"),
        *ClassificationLevel.objects.filter(version=version).values_list("code", "minimum_score"),
    ]


# The ORM refuses every change to a published version


def test_a_published_criterion_is_not_saved(version):
    before = _snapshot(version)
    criterion = version.criteria.get(code="A5")
    criterion.max_points = Decimal("9")
    with pytest.raises(PublishedVersionFrozen, match="đã ban hành là bất biến"):
        criterion.save()
    assert _snapshot(version) == before


def test_no_row_is_added_to_a_published_version(version):
    section = version.sections.first()
    with pytest.raises(PublishedVersionFrozen):
        Criterion.objects.create(
            version=version,
            section=section,
            code="Z9",
            text="Mới",
            answer_type="yes_no",
            max_points=1,
        )
    with pytest.raises(PublishedVersionFrozen):
        Section.objects.bulk_create([Section(version=version, code="Z", title="Mới")])
    with pytest.raises(PublishedVersionFrozen):
        version.levels.create(code="moi", name="Mới", minimum_score=1, order=9)
    assert not Criterion.objects.filter(code="Z9").exists()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda v: Criterion.objects.filter(version=v).update(text="Sửa"), id="update"),
        pytest.param(lambda v: v.criteria.filter(code="A5").delete(), id="delete"),
        pytest.param(lambda v: v.criteria.get(code="A5").delete(), id="instance-delete"),
        pytest.param(lambda v: v.sections.update(title="Sửa"), id="sections-update"),
        pytest.param(lambda v: v.levels.all().delete(), id="levels-delete"),
        pytest.param(
            lambda v: Criterion.objects.bulk_update(
                [_with(v.criteria.get(code="A1"), max_points=Decimal("1"))], ["max_points"]
            ),
            id="bulk-update",
        ),
        pytest.param(
            lambda v: ModelVersion.objects.filter(pk=v.pk).update(title="Sửa"), id="v-update"
        ),
        pytest.param(lambda v: ModelVersion.objects.filter(pk=v.pk).delete(), id="v-delete"),
        pytest.param(lambda v: _with(v, title="Sửa").save(), id="v-save"),
        pytest.param(lambda v: v.delete(), id="v-instance-delete"),
    ],
)
def test_the_orm_refuses_every_change_to_a_published_version(version, write):
    before = _snapshot(version)
    with pytest.raises(PublishedVersionFrozen):
        write(version)
    assert _snapshot(version) == before


def test_a_draft_row_cannot_be_moved_into_or_out_of_a_published_version(version):
    draft = version_new_draft(source=version, by=None)
    with pytest.raises(PublishedVersionFrozen):
        Criterion.objects.filter(version=draft, code="A1").update(version=version)
    published_row = version.criteria.get(code="A1")
    published_row.version = draft
    with pytest.raises(PublishedVersionFrozen):
        published_row.save()


def test_publishing_flips_a_draft_once_and_then_freezes_it(version):
    draft = version_new_draft(source=version, by=None)
    Criterion.objects.filter(version=draft, code="A1").update(text="Bản nháp sửa được")
    published = version_publish(version=draft, by=None)
    assert published.is_published
    with pytest.raises(PublishedVersionFrozen):
        Criterion.objects.filter(version=draft, code="A1").update(text="Không còn sửa được")
    assert draft.criteria.get(code="A1").text == "Bản nháp sửa được"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_raw_sql_on_a_published_version_too(version):
    draft = version_new_draft(source=version, by=None)
    statements = [
        ("UPDATE inspections_criterion SET text = 'x' WHERE version_id = %s", version.pk),
        ("DELETE FROM inspections_section WHERE version_id = %s", version.pk),
        ("UPDATE inspections_classificationlevel SET name = 'x' WHERE version_id = %s", version.pk),
        ("UPDATE inspections_modelversion SET title = 'x' WHERE id = %s", version.pk),
        ("DELETE FROM inspections_modelversion WHERE id = %s", version.pk),
        ("UPDATE inspections_criterion SET version_id = %s WHERE version_id = %s", version.pk),
    ]
    before = _snapshot(version)
    with connection.cursor() as cursor:
        for sql, pk in statements:
            params = [pk, draft.pk] if sql.count("%s") == 2 else [pk]
            with pytest.raises(IntegrityError, match="published"), transaction.atomic():
                cursor.execute(sql, params)
        cursor.execute(
            "UPDATE inspections_criterion SET text = 'nháp' WHERE version_id = %s", [draft.pk]
        )
    assert _snapshot(version) == before


def _with(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


# Editing a draft through the services


@pytest.fixture
def draft(version):
    return version_new_draft(source=version, by=None)


def test_a_drafts_settings_change_with_an_event(draft, cast):
    changed = version_draft_save(
        by=cast.internal_affairs,
        version=draft,
        model=draft.model,
        settings={"title": "Bản 2027", "action_due_days": 21},
    )
    assert (changed.title, changed.action_due_days) == ("Bản 2027", 21)
    event = Event.objects.get(action="version_updated")
    assert event.data["changes"]["action_due_days"] == [14, 21]


def test_a_published_versions_settings_are_refused_by_the_service(version, cast):
    refused = refusal(
        Problem.WRONG_STATE,
        version_draft_save,
        by=cast.internal_affairs,
        version=version,
        model=version.model,
        settings={"title": "Sửa"},
    )
    assert refused.code == "version_frozen"
    refused = refusal(
        Problem.INVALID,
        version_draft_save,
        by=cast.internal_affairs,
        version=None,
        model=version.model,
        settings={"status": "published"},
    )
    assert "status" in refused.fields


def test_a_new_draft_is_numbered_after_the_last_version(version, cast):
    made = version_draft_save(
        by=cast.internal_affairs, model=version.model, settings={"title": "Bản trắng"}
    )
    assert (made.number, made.status) == (2, "draft")
    assert Event.objects.filter(action="version_created", object_id=str(made.pk)).exists()


def test_a_drafts_rows_are_added_changed_and_removed_with_events(draft, cast):
    ia = cast.internal_affairs
    section = catalogue_row_save(by=ia, row=Section(version=draft, code="E", title="Mới"))
    criterion = catalogue_row_save(
        by=ia,
        row=Criterion(
            version=draft,
            section=section,
            code="E1",
            text="Tiêu chí mới",
            answer_type="yes_no",
            max_points=Decimal("2"),
        ),
    )
    criterion.max_points = Decimal("3")
    catalogue_row_save(by=ia, row=criterion)
    catalogue_row_delete(by=ia, row=criterion)
    assert not Criterion.objects.filter(version=draft, code="E1").exists()
    actions = list(
        Event.objects.filter(action__startswith="catalogue_row")
        .order_by("id")
        .values_list("action", "object_type")
    )
    assert actions == [
        ("catalogue_row_created", "section"),
        ("catalogue_row_created", "criterion"),
        ("catalogue_row_updated", "criterion"),
        ("catalogue_row_deleted", "criterion"),
    ]


def test_a_draft_row_is_checked_like_the_database_would(draft, cast):
    section = draft.sections.first()
    refused = refusal(
        Problem.INVALID,
        catalogue_row_save,
        by=cast.internal_affairs,
        row=Criterion(
            version=draft,
            section=section,
            code="E2",
            text="★ cho phép không áp dụng",
            answer_type="yes_no",
            max_points=Decimal("0"),
            critical=True,
            na_allowed=True,
        ),
    )
    messages = " ".join(m for found in refused.fields.values() for m in found)
    assert "Điểm tối đa phải dương" in messages and "không áp dụng" in messages


def test_a_criterion_stays_in_a_section_of_its_own_version(draft, version, cast):
    refused = refusal(
        Problem.INVALID,
        catalogue_row_save,
        by=cast.internal_affairs,
        row=Criterion(
            version=draft,
            section=version.sections.first(),
            code="E3",
            text="Lạc phiên bản",
            answer_type="yes_no",
            max_points=Decimal("1"),
        ),
    )
    assert "section" in refused.fields


def test_a_published_row_is_refused_by_the_service_before_the_model(version, cast):
    criterion = version.criteria.get(code="A1")
    refusal(Problem.WRONG_STATE, catalogue_row_delete, by=cast.internal_affairs, row=criterion)
    criterion.text = "Sửa"
    refusal(Problem.WRONG_STATE, catalogue_row_save, by=cast.internal_affairs, row=criterion)
    assert version.criteria.get(code="A1").text != "Sửa"


def test_a_draft_is_thrown_away_and_a_published_version_is_not(draft, version, cast):
    version_draft_delete(by=cast.internal_affairs, version=draft)
    assert not ModelVersion.objects.filter(pk=draft.pk).exists()
    assert not Criterion.objects.filter(version_id=draft.pk).exists()
    refusal(Problem.WRONG_STATE, version_draft_delete, by=cast.internal_affairs, version=version)


def test_only_internal_affairs_or_the_it_officer_edit_the_catalogue(draft, cast):
    for someone in (cast.inspector, cast.leader, cast.ward_office):
        refusal(
            Problem.FORBIDDEN,
            version_draft_save,
            by=someone,
            version=draft,
            model=draft.model,
            settings={"title": "Của tôi"},
        )
    officer = get_user_model().objects.create_superuser("it", "it@example.vn", "mat-khau-dai-1")
    model = emulation_model_save(by=officer, code="moi", name="Mô hình mới")
    assert EmulationModel.objects.get(code="moi") == model
    assert Event.objects.get(action="model_created").actor == officer
