"""A client id sent again (a replay) is never a way round a permission: every replay path is
refused exactly as a first write by the same user would be, and nothing changes.

Replay paths: POST /api/v1/inspections/ (official and self-assessment), the web's "start"
and "self-assessment" forms, POST /api/v1/inspections/{id}/photos/. Action responses and
commitments take no client id: a repeat of either is refused like the first.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.test import Client
from django.urls import reverse

from inspections import services
from inspections.models import (
    ActionResponse,
    Assignment,
    Commitment,
    EvidencePhoto,
    Inspection,
    OrgUnit,
    RoleKind,
)
from tests.accounts import sign_in
from tests.api.conftest import body, client_for
from tests.factories import jpeg_bytes


def _photo_form(**fields: Any) -> dict[str, Any]:
    upload = io.BytesIO(jpeg_bytes())
    upload.name = "anh.jpg"
    return {"file": upload, **fields}


def _create(user: Any, **fields: Any) -> Any:
    return client_for(user).post("/api/v1/inspections/", fields, format="json")


def _refusal(response: Any) -> tuple[int, str]:
    return response.status_code, body(response).get("detail", "")


def test_an_official_inspection_id_replayed_by_an_unassigned_inspector_is_a_403(
    world: dict[str, Any], cast: Any
) -> None:
    count = Inspection.objects.count()
    replay = {"id": str(world["approved"]), "unit": world["ward"], "round": world["round"]}
    first = {**replay, "id": str(uuid.uuid4()), "unit": world["school"]}

    # Sở Tài chính's inspector is assigned to the ward, not to its school.
    refused_first = _create(cast.other_inspector, **first)
    refused_replay = _create(cast.other_inspector, **{**replay, "unit": world["school"]})

    assert _refusal(refused_replay) == _refusal(refused_first)
    assert refused_first.status_code == 403
    assert Inspection.objects.count() == count


def test_an_official_inspection_id_replayed_after_the_assignment_is_gone_is_a_403(
    world: dict[str, Any], cast: Any
) -> None:
    new = {"id": str(uuid.uuid4()), "unit": world["tai_chinh"], "round": world["round"]}
    assert _create(cast.inspector, **new).status_code == 201
    assert _create(cast.inspector, **new).status_code == 200
    Assignment.objects.filter(inspector=cast.inspector, unit_id=world["tai_chinh"]).delete()

    replay = _create(cast.inspector, **new)
    first = _create(cast.inspector, **{**new, "id": str(uuid.uuid4())})

    assert _refusal(replay) == _refusal(first)
    assert replay.status_code == 403
    assert "id" not in body(replay).get("errors", {})  # nothing said about the inspection


def test_the_same_inspection_id_with_other_values_is_a_409_for_a_user_who_may_write(
    world: dict[str, Any], cast: Any
) -> None:
    replay = {"id": str(world["approved"]), "unit": world["school"], "round": world["round"]}
    clash = _create(cast.inspector, **replay)  # assigned to the school as well

    assert (clash.status_code, body(clash)["code"]) == (409, "id_conflict")


def test_a_self_assessment_id_replayed_by_another_units_office_is_a_403(
    world: dict[str, Any], cast: Any
) -> None:
    count = Inspection.objects.count()
    replay = {"id": str(world["self"]), "unit": world["school"], "round": world["round"]}
    replay["kind"] = "self"

    refused_replay = _create(cast.department_office, **replay)
    refused_first = _create(cast.department_office, **{**replay, "id": str(uuid.uuid4())})

    assert _refusal(refused_replay) == _refusal(refused_first)
    assert refused_first.status_code == 403
    assert Inspection.objects.count() == count


def test_a_self_assessment_id_replayed_on_the_web_by_internal_affairs_is_refused_alike(
    world: dict[str, Any], cast: Any, org: Any
) -> None:
    web = Client()
    sign_in(cast.internal_affairs, web)  # may read the school's page, may not assess it
    url = reverse("unit-self-start", args=[org.school.code])
    count = Inspection.objects.count()

    first = web.post(url, {"round": world["round"], "id": str(uuid.uuid4())})
    replay = web.post(url, {"round": world["round"], "id": str(world["self"])})

    assert first.status_code == replay.status_code == 403
    assert Inspection.objects.count() == count


def test_the_web_start_form_replayed_once_the_unit_is_the_inspectors_own_is_refused_alike(
    world: dict[str, Any], cast: Any
) -> None:
    assignment = Assignment.objects.get(inspector=cast.inspector, unit_id=world["tai_chinh"])
    url = reverse("inspection-start", args=[assignment.pk])
    web = Client()
    web.force_login(cast.inspector)
    new_id = str(uuid.uuid4())
    assert web.post(url, {"id": new_id}).status_code == 302
    # The inspector joins Sở Tài chính: inspecting one's own unit is refused from now on.
    services.role_grant(
        by=cast.internal_affairs,
        user=cast.inspector,
        kind=RoleKind.OFFICE,
        unit=OrgUnit.objects.get(pk=world["tai_chinh"]),
    )

    replay = web.post(url, {"id": new_id})
    first = web.post(url, {"id": str(uuid.uuid4())})

    assert replay.status_code == first.status_code == 403
    assert Inspection.objects.filter(unit_id=world["tai_chinh"]).count() == 1


def test_a_photo_id_replayed_by_the_office_on_its_approved_inspection_is_a_403(
    world: dict[str, Any], cast: Any
) -> None:
    url = f"/api/v1/inspections/{world['approved']}/photos/"
    office = client_for(cast.ward_office)  # the ward sees its approved inspection

    replay = office.post(url, _photo_form(id=str(world["photo"]), criterion="A1"))
    first = office.post(url, _photo_form(criterion="A1"))

    assert _refusal(replay) == _refusal(first)
    assert replay.status_code == 403
    assert "file" not in body(replay) and "original" not in body(replay)
    assert EvidencePhoto.objects.filter(inspection_id=world["approved"]).count() == 1


def test_a_photo_id_replayed_by_internal_affairs_on_a_draft_is_a_403(
    world: dict[str, Any], cast: Any
) -> None:
    draft = Inspection.objects.get(pk=world["draft"])
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=draft, data=jpeg_bytes(), id=uuid.uuid4()
    )
    url = f"/api/v1/inspections/{draft.pk}/photos/"
    noi_vu = client_for(cast.internal_affairs)  # sees every inspection, edits none

    replay = noi_vu.post(url, _photo_form(id=str(photo.pk)))
    first = noi_vu.post(url, _photo_form())

    assert _refusal(replay) == _refusal(first)
    assert replay.status_code == 403
    assert draft.photos.count() == 1


def test_the_inspector_replaying_a_photo_after_submitting_still_gets_it_back(
    make_inspection: Any, cast: Any
) -> None:
    """The state moved on, the permission did not: a retry of a write that succeeded is
    answered with what it made, whereas a new photo is refused (409)."""
    inspection = make_inspection()
    client = client_for(cast.inspector)
    url = f"/api/v1/inspections/{inspection.pk}/photos/"
    photo_id = str(uuid.uuid4())
    assert client.post(url, _photo_form(id=photo_id)).status_code == 201
    Inspection.objects.filter(pk=inspection.pk).update(state=Inspection.State.SUBMITTED)

    again = client.post(url, _photo_form(id=photo_id))
    new = client.post(url, _photo_form())

    assert (again.status_code, body(again)["id"]) == (200, photo_id)
    assert new.status_code == 409
    assert inspection.photos.count() == 1


def test_an_action_response_repeated_by_another_office_is_refused_like_the_first(
    world: dict[str, Any], cast: Any
) -> None:
    url = f"/api/v1/actions/{world['action']}/respond/"

    def payload() -> dict[str, Any]:  # A1 needs a photo of the fix
        photo = io.BytesIO(jpeg_bytes())
        photo.name = "sau.jpg"
        return {"note": "Đã thay bóng đèn tiết kiệm điện.", "files": [photo]}

    statuses = [client_for(cast.department_office).post(url, payload()).status_code]
    assert client_for(cast.ward_office).post(url, payload()).status_code == 200
    statuses.append(client_for(cast.department_office).post(url, payload()).status_code)

    assert statuses == [404, 404]
    assert ActionResponse.objects.filter(action_id=world["action"]).count() == 1


def test_a_commitment_repeated_by_another_office_is_refused_like_the_first(
    world: dict[str, Any], cast: Any
) -> None:
    def record(year: int) -> Any:
        scan = io.BytesIO(jpeg_bytes())
        scan.name = "cam-ket.jpg"
        form = {"unit": world["ward"], "year": year, "file": scan}
        return client_for(cast.department_office).post("/api/v1/commitments/", form)

    first, repeat = record(2027), record(2026)  # the ward signed 2026 already

    assert _refusal(repeat) == _refusal(first)
    assert first.status_code == 403  # not a 409 that would tell them the ward signed
    assert Commitment.objects.filter(unit_id=world["ward"]).count() == 1
