from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import ModelVersion
from inspections.services import version_new_draft
from inspections.staff import grant_internal_affairs_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    grant_internal_affairs_admin(cast.internal_affairs)
    client.force_login(cast.internal_affairs)
    return client


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
    from inspections.models import Assignment

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
