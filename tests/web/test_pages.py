from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from inspections.models import Answer, EvidencePhoto, Inspection
from inspections.services import inspection_return, inspection_submit
from tests.factories import jpeg_bytes
from tests.inspections.builders import answer_everything, attach_evidence


def page(response: Any) -> str:
    return response.content.decode()


def test_the_login_page_signs_the_inspector_in_and_lands_on_my_work(cast: Any) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "kiemtra1", "password": "matkhau-thu-nghiem"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert Client().get(reverse("home"))["Location"].startswith(reverse("login"))


def test_my_work_lists_open_assignments_with_due_dates_and_marks_late_ones(
    assigned: Any, inspector_client: Client
) -> None:
    assigned.due_on = datetime.date(2020, 1, 31)
    assigned.save()
    html = page(inspector_client.get(reverse("home")))
    assert "Phường An Lạc" in html
    assert "31/01/2020" in html
    assert "Quá hạn" in html


def test_starting_an_assignment_twice_with_the_same_form_makes_one_inspection(
    assigned: Any, inspector_client: Client
) -> None:
    form = {"id": str(uuid.uuid4())}
    url = reverse("inspection-start", args=[assigned.pk])
    first = inspector_client.post(url, form)
    second = inspector_client.post(url, form)
    inspection = Inspection.objects.get()
    assert first["Location"] == second["Location"] == reverse("checklist", args=[inspection.pk])


def test_an_answer_form_saves_value_note_flag_and_a_photo_then_returns_to_its_place(
    inspection: Any, inspector_client: Client
) -> None:
    photo = SimpleUploadedFile("a1.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = inspector_client.post(
        reverse("answer", args=[inspection.pk, "A1"]),
        {"value": "3", "note": "Một bàn còn giấy tờ", "flagged": "1", "camera": photo},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#c-A1")
    answer = Answer.objects.get(inspection=inspection, criterion__code="A1")
    assert (answer.level, answer.note, answer.flagged) == (3, "Một bàn còn giấy tờ", True)
    assert EvidencePhoto.objects.get(inspection=inspection).criterion.code == "A1"


def test_a_refused_answer_is_shown_again_with_the_posted_values_and_the_error(
    inspection: Any, inspector_client: Client
) -> None:
    response = inspector_client.post(
        reverse("answer", args=[inspection.pk, "D1"]), {"value": "150", "note": "Theo sổ"}
    )
    assert response.status_code == 400
    html = page(response)
    assert "0–100" in html
    assert 'value="150"' in html
    assert "Theo sổ" in html
    assert not Answer.objects.filter(inspection=inspection).exists()


def test_n_a_where_the_criterion_forbids_it_is_a_form_error_not_a_crash(
    inspection: Any, inspector_client: Client
) -> None:
    response = inspector_client.post(reverse("answer", args=[inspection.pk, "A5"]), {"value": "na"})
    assert response.status_code == 400
    assert "không áp dụng" in page(response)


def test_a_corrupt_photo_is_refused_and_the_answer_beside_it_is_kept(
    inspection: Any, inspector_client: Client
) -> None:
    broken = SimpleUploadedFile("x.jpg", b"\xff\xd8not a jpeg", content_type="image/jpeg")
    response = inspector_client.post(
        reverse("answer", args=[inspection.pk, "A2"]), {"value": "4", "gallery": broken}
    )
    assert 400 <= response.status_code < 500
    assert Answer.objects.get(inspection=inspection, criterion__code="A2").level == 4
    assert not EvidencePhoto.objects.exists()


def test_a_photo_can_be_removed_while_the_inspection_is_editable(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    attach_evidence(inspection, cast.inspector, only=["A1"])
    photo = EvidencePhoto.objects.get()
    response = inspector_client.post(reverse("photo-delete", args=[inspection.pk, photo.pk]))
    assert response["Location"].endswith("#c-A1")
    assert not EvidencePhoto.objects.exists()


def test_review_lists_every_problem_refuses_submit_then_submits_when_complete(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    url = reverse("review", args=[inspection.pk])
    answer_everything(inspection, cast.inspector, skip=["B3"], value_for={"B7": ("na", "")})
    html = page(inspector_client.get(url))
    assert f'href="{reverse("checklist", args=[inspection.pk])}#c-B3"' in html
    assert "Chọn “không áp dụng” cần ghi chú lý do." in html
    assert "Cần ít nhất một ảnh minh chứng." in html
    refused = inspector_client.post(url)
    assert refused.status_code == 400
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.DRAFT

    answer_everything(inspection, cast.inspector)
    attach_evidence(inspection, cast.inspector)
    done = inspector_client.post(url)
    assert done["Location"] == reverse("result", args=[inspection.pk])
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.SUBMITTED
    result = page(inspector_client.get(done["Location"]))
    assert "100.00" in result or "100,00" in result
    assert "Xuất sắc" in result


def test_a_returned_inspection_shows_the_reason_and_marks_the_criteria_named(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    answer_everything(inspection, cast.inspector)
    attach_evidence(inspection, cast.inspector)
    inspection_submit(by=cast.inspector, inspection=inspection)
    inspection_return(
        by=cast.internal_affairs, inspection=inspection, reason="Ảnh A3 mờ", criteria=["A3"]
    )
    html = page(inspector_client.get(reverse("checklist", args=[inspection.pk])))
    assert "Ảnh A3 mờ" in html
    assert re.search(r'class="crit crit--returned[^"]*" id="c-A3"', html)
    assert not re.search(r'class="crit crit--returned[^"]*" id="c-A4"', html)


def test_someone_elses_inspection_is_a_404_and_a_submitted_one_is_read_only(
    inspection: Any, cast: Any
) -> None:
    other = Client()
    other.force_login(cast.other_inspector)
    assert other.get(reverse("checklist", args=[inspection.pk])).status_code == 404
    assert (
        other.post(reverse("answer", args=[inspection.pk, "A1"]), {"value": "4"}).status_code == 404
    )
    assert not Answer.objects.exists()


def test_the_pages_carry_no_inline_script_or_style(
    inspection: Any, inspector_client: Client
) -> None:
    for url in (
        reverse("home"),
        reverse("checklist", args=[inspection.pk]),
        reverse("review", args=[inspection.pk]),
        reverse("result", args=[inspection.pk]),
    ):
        html = page(inspector_client.get(url))
        assert "style=" not in html
        assert "<style" not in html
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
        assert re.search(r"\son[a-z]+=", html) is None


def test_the_checklist_runs_the_same_number_of_queries_with_0_or_10_photos(
    inspection: Any, cast: Any, inspector_client: Client, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("checklist", args=[inspection.pk])
    inspector_client.get(url)  # the session and language settle on a first visit
    with CaptureQueriesContext(connection) as empty:
        inspector_client.get(url)
    answer_everything(inspection, cast.inspector)
    attach_evidence(
        inspection, cast.inspector, only=[f"A{n}" for n in range(1, 8)] + ["B1", "B2", "B3"]
    )
    assert EvidencePhoto.objects.count() == 10
    with django_assert_max_num_queries(len(empty)):
        inspector_client.get(url)


def test_the_language_switch_turns_the_pages_into_english(
    assigned: Any, inspector_client: Client
) -> None:
    # The request activates English in this thread; override() puts the language back after.
    with translation.override("vi"):
        inspector_client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = page(inspector_client.get(reverse("home")))
    assert "My work" in html
    assert 'lang="en"' in html


def test_the_checklist_runs_the_same_number_of_queries_for_5_or_32_criteria(
    inspection: Any, org: Any, cast: Any, inspector_client: Client
) -> None:
    import json

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.services import catalogue_load, inspection_create, round_create
    from tests.inspections.builders import assign

    path = settings.BASE_DIR / "inspections" / "fixtures" / "reference_catalogue_2026.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["model"]["code"] = "mo-hinh-nho"
    data["sections"] = data["sections"][:1]
    # Four criteria and the follow-up one (A10), whose row reads last round's actions.
    data["criteria"] = data["criteria"][:4] + [c for c in data["criteria"] if c["code"] == "A10"]
    small_round = round_create(
        by=cast.internal_affairs,
        name="Thử nghiệm",
        version=catalogue_load(data=data),
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        open_now=True,
    )
    assign(small_round, org.ward, cast.inspector, by=cast.internal_affairs)
    small, _created = inspection_create(by=cast.inspector, round=small_round, unit=org.ward)

    counts = []
    for each in (small, inspection):
        url = reverse("checklist", args=[each.pk])
        inspector_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert inspector_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
