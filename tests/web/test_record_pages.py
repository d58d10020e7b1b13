"""The team page (team, people present, members' notes and photos, signatures), the result
page's "Biên bản (PDF)" button and the record's refusals on the web."""

from __future__ import annotations

import pytest

from inspections.models import Signature
from inspections.services import team_member_add
from tests.accounts import sign_in
from tests.factories import jpeg_bytes
from tests.inspections.builders import approved_inspection

pytestmark = pytest.mark.django_db


def signed_in(user):
    return sign_in(user)  # with the second factor where the account needs it


def test_the_inspector_in_charge_records_the_team_the_people_and_a_paper_signature(
    inspection, inspector_client, cast
):
    page = inspector_client.get(f"/phieu/{inspection.pk}/doan-kiem-tra/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thêm vào đoàn" in html and "Ký trên bản giấy" in html and "data-signatures" in html
    assert f'value="{cast.other_inspector.pk}"' in html  # a candidate of another unit
    steps = f"/phieu/{inspection.pk}/doan-kiem-tra/"
    inspector_client.post(steps + "member-add/", {"user": cast.other_inspector.pk})
    inspector_client.post(steps + "person-add/", {"name": "Lê Văn Tâm", "position": "Phó Chủ tịch"})
    done = inspector_client.post(
        steps + "paper/", {"role": "unit", "name": "Lê Văn Tâm", "position": "Phó Chủ tịch"}
    )
    assert done.status_code == 302
    assert inspection.members.get().user == cast.other_inspector
    assert inspection.representatives.get().name == "Lê Văn Tâm"
    assert Signature.objects.get(inspection=inspection).on_paper
    html = inspector_client.get(steps).content.decode()
    assert "Lê Văn Tâm" in html and "Ký trên bản giấy" in html


def test_a_refused_step_shows_the_page_again_with_its_message(inspection, inspector_client):
    steps = f"/phieu/{inspection.pk}/doan-kiem-tra/"
    refused = inspector_client.post(steps + "person-add/", {"name": "  "})
    assert refused.status_code == 400
    assert "Hãy nhập họ và tên." in refused.content.decode()
    assert inspector_client.post(steps + "nonsense/").status_code == 404


def test_a_member_writes_a_note_and_adds_a_photo_but_cannot_sign_or_change_the_team(
    inspection, cast
):
    team_member_add(by=cast.inspector, inspection=inspection, user_id=cast.other_inspector.pk)
    member = signed_in(cast.other_inspector)
    steps = f"/phieu/{inspection.pk}/doan-kiem-tra/"
    html = member.get(steps).content.decode()
    assert "Ý kiến của bạn" in html and "Gửi ảnh" in html
    assert "data-signatures" not in html and "Thêm vào đoàn" not in html
    member.post(steps + "note/", {"note": "Cần thêm bình chữa cháy"})
    assert inspection.members.get().note == "Cần thêm bình chữa cháy"
    upload = member.post(steps + "photo/", {"criterion": "A1", "file": _file()})
    assert upload.status_code == 302 and inspection.photos.get().uploaded_by == cast.other_inspector
    assert member.post(steps + "paper/", {"role": "lead"}).status_code == 403
    assert member.post(steps + "person-add/", {"name": "X"}).status_code == 403


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")


def test_outsiders_never_see_the_team_page(inspection, cast):
    assert (
        signed_in(cast.department_office).get(f"/phieu/{inspection.pk}/doan-kiem-tra/").status_code
        == 404
    )


def test_the_result_page_offers_the_record_once_approved(open_round, org, cast):
    approved = approved_inspection(
        open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
    )
    html = signed_in(cast.ward_office).get(f"/phieu/{approved.pk}/ket-qua/").content.decode()
    assert "Biên bản (PDF)" in html and f"/phieu/{approved.pk}/bien-ban.pdf" in html


def test_no_record_button_and_a_409_page_before_approval(inspection, inspector_client):
    html = inspector_client.get(f"/phieu/{inspection.pk}/ket-qua/").content.decode()
    assert "Biên bản (PDF)" not in html
    response = inspector_client.get(f"/phieu/{inspection.pk}/bien-ban.pdf")
    assert response.status_code == 409 and "text/html" in response["Content-Type"]


def test_the_round_report_is_refused_before_publication(open_round, cast):
    response = signed_in(cast.internal_affairs).get(f"/dot/{open_round.pk}/xep-hang/?format=pdf")
    assert response.status_code == 409
