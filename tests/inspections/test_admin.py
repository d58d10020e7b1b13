from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from inspections.models import (
    Assignment,
    Criterion,
    EmulationModel,
    Event,
    Group,
    ModelVersion,
    OrgUnit,
    Round,
    UserRole,
)
from inspections.services import inspection_create, version_new_draft, version_publish
from inspections.staff import grant_internal_affairs_admin
from tests.accounts import sign_in
from tests.inspections.admin_forms import add_inline_row, form_data
from tests.inspections.builders import assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    grant_internal_affairs_admin(cast.internal_affairs)
    return sign_in(cast.internal_affairs, client)


def test_internal_affairs_sees_the_admin_in_vietnamese(admin_client):
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cấu hình phong trào" in text
    assert "Cơ quan, đơn vị" in text and "Đợt kiểm tra" in text


def test_unit_list_is_in_vietnamese_order(admin_client, org):
    page = admin_client.get(reverse("admin:inspections_orgunit_changelist"))
    text = page.content.decode()
    names = ["Ban Thi đua", "Sở Tài chính", "Trường Tiểu học An Lạc"]  # none is a parent
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)


def test_a_published_version_is_read_only_with_its_criteria(admin_client, version):
    url = reverse("admin:inspections_modelversion_change", args=[version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "A5" in text and 'name="_save"' not in text
    refused = admin_client.post(url, {"title": "Đổi tên"})
    assert refused.status_code == 403
    version.refresh_from_db()
    assert version.title.endswith("2026")


def test_a_draft_version_can_be_edited(admin_client, version):
    draft = version_new_draft(source=version, by=None)
    page = admin_client.get(reverse("admin:inspections_modelversion_change", args=[draft.pk]))
    assert 'name="_save"' in page.content.decode()
    assert ModelVersion.objects.filter(status="draft").count() == 1


def test_an_office_user_is_kept_out_of_the_admin(client, cast):
    client.force_login(cast.ward_office)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 302


def test_the_admin_refuses_to_assign_an_inspector_to_their_own_unit(
    admin_client, cast, org, open_round
):
    url = reverse("admin:inspections_assignment_add")
    refused = admin_client.post(
        url, {"round": open_round.pk, "unit": org.thi_dua.pk, "inspector": cast.inspector.pk}
    )
    assert refused.status_code == 200
    assert "không được kiểm tra đơn vị của mình" in refused.content.decode()
    assert not Assignment.objects.exists()
    accepted = admin_client.post(
        url, {"round": open_round.pk, "unit": org.ward.pk, "inspector": cast.inspector.pk}
    )
    assert accepted.status_code == 302
    assert Assignment.objects.filter(unit=org.ward, inspector=cast.inspector).exists()


# --- Every write of the admin goes through a service, and leaves an Event -----------------


def _events(action: str) -> int:
    return Event.objects.filter(action=action).count()


def _change_url(obj) -> str:
    return reverse(f"admin:inspections_{obj._meta.model_name}_change", args=[obj.pk])


def _post_change(client, obj, **changes):
    data = form_data(client.get(_change_url(obj)))
    data.update({k: str(v) for k, v in changes.items()})
    return client.post(_change_url(obj), data)


def test_a_group_is_added_changed_and_deleted_through_its_service(admin_client, cast):
    added = admin_client.post(
        reverse("admin:inspections_group_add"), {"code": "truong-hoc", "name": "Khối trường học"}
    )
    assert added.status_code == 302
    group = Group.objects.get(code="truong-hoc")
    assert _post_change(admin_client, group, name="Khối trường học công lập").status_code == 302
    group.refresh_from_db()
    assert group.name == "Khối trường học công lập"
    deleted = admin_client.post(
        reverse("admin:inspections_group_delete", args=[group.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not Group.objects.filter(code="truong-hoc").exists()
    made = Event.objects.filter(object_type="group", object_id=str(group.pk))
    assert sorted(made.values_list("action", flat=True)) == [
        "group_created",
        "group_deleted",
        "group_updated",
    ]
    assert set(made.values_list("actor", flat=True)) == {cast.internal_affairs.pk}


def test_a_group_with_units_is_not_deleted(admin_client, org):
    url = reverse("admin:inspections_group_delete", args=[org.wards.pk])
    refused = admin_client.post(url, {"post": "yes"})
    assert "Không thể xóa" in refused.content.decode()  # the admin's own check comes first
    assert Group.objects.filter(pk=org.wards.pk).exists()
    assert not Event.objects.filter(action="group_deleted").exists()


@pytest.fixture
def started(cast, org, open_round):
    """kiemtra1 assigned to the ward (started) and to the school (not started)."""
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    assign(open_round, org.school, cast.inspector, by=cast.internal_affairs)
    inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    return Assignment.objects.get(unit=org.ward), Assignment.objects.get(unit=org.school)


def test_a_started_assignment_is_not_withdrawn_and_the_admin_says_why(admin_client, started):
    ward, _school = started
    url = reverse("admin:inspections_assignment_delete", args=[ward.pk])
    refused = admin_client.post(url, {"post": "yes"}, follow=True)
    assert refused.redirect_chain[-1][0] == _change_url(ward)
    assert "đã bắt đầu kiểm tra" in refused.content.decode()
    assert Assignment.objects.filter(pk=ward.pk).exists()
    assert not Event.objects.filter(action="assignment_removed").exists()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_withdrawing_selected_assignments_is_all_or_nothing(admin_client, started):
    refused = admin_client.post(
        reverse("admin:inspections_assignment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in started],
            "post": "yes",
        },
        follow=True,
    )
    assert "đã bắt đầu kiểm tra" in refused.content.decode()
    assert Assignment.objects.count() == 2
    assert not Event.objects.filter(action="assignment_removed").exists()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_a_unit_is_created_renamed_moved_and_retired_through_the_services(admin_client, org):
    added = admin_client.post(
        reverse("admin:inspections_orgunit_add"),
        {
            "code": "PMOI",
            "name": "Phường Mới",
            "parent": org.city.pk,
            "group": org.wards.pk,
            "valid_from": "2026-01-01",
        },
    )
    assert added.status_code == 302
    new = OrgUnit.objects.get(code="PMOI")
    assert new.path == f"{org.city.path}{new.pk}/"
    assert _post_change(admin_client, org.ward, name="Phường An Lạc Mới").status_code == 302
    assert _post_change(admin_client, org.ward, parent=org.tai_chinh.pk).status_code == 302
    org.school.refresh_from_db()
    assert org.school.path == f"{org.tai_chinh.path}{org.ward.pk}/{org.school.pk}/"
    retired = _post_change(admin_client, org.ward, valid_to="2026-06-30", merged_into=new.pk)
    assert retired.status_code == 302
    org.ward.refresh_from_db()
    org.school.refresh_from_db()
    assert org.ward.name == "Phường An Lạc Mới" and org.ward.merged_into == new
    assert org.school.parent == new and org.school.path == f"{new.path}{org.school.pk}/"
    for action in ("unit_created", "unit_updated", "unit_moved", "unit_retired"):
        assert _events(action) == 1, action


def test_a_unit_cannot_be_moved_below_itself_and_nothing_changes(admin_client, org):
    refused = _post_change(admin_client, org.ward, name="Đổi tên", parent=org.school.pk)
    assert refused.status_code == 200
    assert "dưới chính nó hay cấp dưới" in refused.content.decode()
    org.ward.refresh_from_db()
    assert (org.ward.name, org.ward.parent) == ("Phường An Lạc", org.city)
    assert not Event.objects.filter(object_type="orgunit").exists()
    assert not LogEntry.objects.exists()


def test_units_and_rounds_are_never_deleted_in_the_admin(admin_client, org, open_round):
    for obj in (org.school, open_round):
        url = reverse(f"admin:inspections_{obj._meta.model_name}_delete", args=[obj.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert OrgUnit.objects.filter(pk=org.school.pk).exists()


@pytest.fixture
def it_officer_client(client):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_superuser("it", "it@example.vn", "mat-khau-dai-1")
    sign_in(officer, client)
    return client


def test_the_it_officer_grants_and_revokes_roles_never_edited_in_place(
    it_officer_client, cast, org
):
    url = reverse("admin:inspections_userrole_add")
    granted = it_officer_client.post(
        url, {"user": cast.ward_office.pk, "kind": "inspector", "unit": org.ward.pk}
    )
    assert granted.status_code == 302
    role = UserRole.objects.get(user=cast.ward_office, kind="inspector")
    page = it_officer_client.get(_change_url(role))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert it_officer_client.post(_change_url(role), {"kind": "leader"}).status_code == 403
    revoked = it_officer_client.post(
        reverse("admin:inspections_userrole_delete", args=[role.pk]), {"post": "yes"}
    )
    assert revoked.status_code == 302
    assert not UserRole.objects.filter(pk=role.pk).exists()
    assert (_events("role_granted"), _events("role_revoked")) == (1, 1)


def test_an_inspector_role_needs_a_unit(it_officer_client, cast):
    refused = it_officer_client.post(
        reverse("admin:inspections_userrole_add"),
        {"user": cast.outsider.pk, "kind": "inspector", "unit": ""},
    )
    assert refused.status_code == 200
    assert "cần một đơn vị" in refused.content.decode()
    assert not UserRole.objects.filter(user=cast.outsider).exists()


def test_internal_affairs_grants_roles_on_its_own_pages_not_in_the_admin(admin_client, cast, org):
    refused = admin_client.post(
        reverse("admin:inspections_userrole_add"),
        {"user": cast.internal_affairs.pk, "kind": "inspector", "unit": org.tai_chinh.pk},
    )
    assert refused.status_code == 403
    assert admin_client.get(reverse("admin:inspections_userrole_changelist")).status_code == 200
    assert not UserRole.objects.filter(user=cast.internal_affairs, kind="inspector").exists()
    assert _events("role_granted") == 0


def test_the_it_officer_grants_the_first_internal_affairs_role(client, org):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_superuser("it", "it@example.vn", "mat-khau-dai-1")
    newcomer = get_user_model().objects.create_user("noivu-moi")
    sign_in(officer, client)
    granted = client.post(
        reverse("admin:inspections_userrole_add"),
        {"user": newcomer.pk, "kind": "internal_affairs", "unit": org.noi_vu.pk},
    )
    assert granted.status_code == 302
    event = Event.objects.get(action="role_granted")
    assert event.actor == officer and event.data["user"] == "noivu-moi"


def test_a_draft_version_and_its_rows_are_edited_through_the_services(admin_client, version):
    draft = version_new_draft(source=version, by=None)
    data = form_data(admin_client.get(_change_url(draft)))
    data["title"] = "Bản nháp 2027"
    first = next(k for k in data if k.startswith("criteria-") and k.endswith("-max_points"))
    data[first] = "3.50"
    last_level = int(data["levels-TOTAL_FORMS"]) - 1
    data[f"levels-{last_level}-DELETE"] = "on"
    saved = admin_client.post(_change_url(draft), data)
    assert saved.status_code == 302, form_errors(saved)
    draft.refresh_from_db()
    assert draft.title == "Bản nháp 2027" and draft.levels.count() == 4
    criterion = Criterion.objects.get(pk=data[first.replace("max_points", "id")])
    assert criterion.max_points == Decimal("3.50")
    assert _events("version_updated") == 1
    assert _events("catalogue_row_updated") == 1 and _events("catalogue_row_deleted") == 1


def test_the_it_officer_throws_a_draft_away_through_the_service(client, version):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_superuser("it", "it@example.vn", "mat-khau-dai-1")
    sign_in(officer, client)
    draft = version_new_draft(source=version, by=None)
    deleted = client.post(
        reverse("admin:inspections_modelversion_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not ModelVersion.objects.filter(pk=draft.pk).exists()
    assert Event.objects.get(action="version_deleted").actor == officer
    published = reverse("admin:inspections_modelversion_delete", args=[version.pk])
    assert client.post(published, {"post": "yes"}).status_code == 403


def test_a_new_model_and_an_empty_draft_are_added_through_the_services(admin_client):
    made = admin_client.post(
        reverse("admin:inspections_emulationmodel_add"),
        {"code": "van-hoa-cong-so", "name": "Văn hóa công sở"},
    )
    assert made.status_code == 302
    model = EmulationModel.objects.get(code="van-hoa-cong-so")
    draft = admin_client.post(
        reverse("admin:inspections_modelversion_add"),
        {
            "model": model.pk,
            "title": "Văn hóa công sở 2027",
            "critical_cap": "dat",
            "top_class_section_minimum": "70",
            "applicable_floor": "70",
            "action_due_days": "14",
            **_empty_inlines(),
        },
    )
    assert draft.status_code == 302, form_errors(draft)
    version = ModelVersion.objects.get(model=model)
    assert (version.number, version.status) == (1, "draft")
    assert (_events("model_created"), _events("version_created")) == (1, 1)


def test_a_published_criterion_cannot_be_posted_to_through_the_version(admin_client, version):
    criterion = version.criteria.get(code="A5")
    data = form_data(admin_client.get(_change_url(version)))
    data["criteria-0-max_points"] = "1"
    assert admin_client.post(_change_url(version), data).status_code == 403
    criterion.refresh_from_db()
    assert criterion.max_points != Decimal("1")


def test_a_round_and_its_assignments_are_written_through_the_services(
    admin_client, cast, org, version
):
    data = {
        "name": "Quý I/2027",
        "version": version.pk,
        "starts_on": "2027-01-01",
        "ends_on": "2027-03-31",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-0-unit": org.ward.pk,
        "assignments-0-inspector": cast.inspector.pk,
    }
    added = admin_client.post(reverse("admin:inspections_round_add"), data)
    assert added.status_code == 302, form_errors(added)
    round_ = Round.objects.get(name="Quý I/2027")
    assert round_.status == Round.Status.DRAFT
    assert list(round_.assignments.values_list("unit", "inspector")) == [
        (org.ward.pk, cast.inspector.pk)
    ]
    assert _post_change(admin_client, round_, ends_on="2027-04-15").status_code == 302
    round_.refresh_from_db()
    assert str(round_.ends_on) == "2027-04-15"
    for action in ("round_created", "assignment_created", "round_updated"):
        assert _events(action) == 1, action


def test_an_assignment_is_changed_and_withdrawn_through_the_service(
    admin_client, cast, org, open_round
):
    added = admin_client.post(
        reverse("admin:inspections_assignment_add"),
        {"round": open_round.pk, "unit": org.ward.pk, "inspector": cast.inspector.pk},
    )
    assert added.status_code == 302
    assignment = Assignment.objects.get()
    assert _post_change(admin_client, assignment, due_on="2026-11-30").status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.due_on) == "2026-11-30"
    removed = admin_client.post(
        reverse("admin:inspections_assignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert removed.status_code == 302 and not Assignment.objects.exists()
    for action in ("assignment_created", "assignment_updated", "assignment_removed"):
        assert _events(action) == 1, action


# --- The back doors, closed ----------------------------------------------------------------


def test_an_office_user_cannot_be_assigned_as_an_inspector_in_the_admin(
    admin_client, cast, org, open_round
):
    refused = admin_client.post(
        reverse("admin:inspections_assignment_add"),
        {"round": open_round.pk, "unit": org.school.pk, "inspector": cast.department_office.pk},
    )
    assert refused.status_code == 200
    assert "không có vai trò cán bộ kiểm tra" in refused.content.decode()
    assert not Assignment.objects.exists()
    assert not Event.objects.filter(object_type="assignment").exists()


def test_the_round_page_refuses_a_non_inspector_in_its_assignments_and_saves_nothing(
    admin_client, cast, org, open_round
):
    data = form_data(admin_client.get(_change_url(open_round)))
    data["name"] = "Quý IV/2026 (sửa)"
    add_inline_row(data, "assignments", unit=org.school.pk, inspector=cast.ward_office.pk)
    refused = admin_client.post(_change_url(open_round), data)
    assert refused.status_code == 200
    assert "không có vai trò cán bộ kiểm tra" in refused.content.decode()
    open_round.refresh_from_db()
    assert open_round.name == "Quý IV/2026" and not open_round.assignments.exists()
    assert not Event.objects.filter(action="round_updated").exists()


def test_a_round_with_an_inspection_keeps_its_model_version(admin_client, cast, org, open_round):
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    other = version_new_draft(source=open_round.version, by=None)
    version_publish(version=other, by=None)
    before = Event.objects.count()
    refused = _post_change(admin_client, open_round, version=other.pk)
    assert refused.status_code == 200
    assert "không đổi được phiên bản mô hình" in refused.content.decode()
    open_round.refresh_from_db()
    assert open_round.version_id != other.pk
    assert Event.objects.count() == before and not LogEntry.objects.exists()


def test_the_internal_affairs_rights_still_open_every_admin_page_it_needs(admin_client, org):
    for name in ("group", "orgunit", "emulationmodel", "modelversion", "round"):
        assert admin_client.get(reverse(f"admin:inspections_{name}_add")).status_code == 200
        assert admin_client.get(reverse(f"admin:inspections_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:inspections_event_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:inspections_event_add")).status_code == 403


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in ("levels", "sections", "criteria"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def form_errors(page) -> str:
    """What the admin complained about, for a failing assertion's message."""
    if page.status_code != 200 or page.context is None:
        return str(page.status_code)
    errors = page.context.get("errors")
    return str(list(errors) if errors else "") + str(page.context["adminform"].form.errors)
