"""Taking evidence away asks first, in the words of what it is: a photo or a file."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from inspections.models import Criterion, EvidenceKind, EvidencePhoto
from inspections.services import photo_attach
from tests.inspections.builders import attach_evidence

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_without_javascript_a_photo_is_deleted_only_after_the_page_that_asks(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    attach_evidence(inspection, cast.inspector, only=["A1"])
    photo = EvidencePhoto.objects.get()
    checklist = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    url = reverse("photo-delete", args=[inspection.pk, photo.pk])
    assert f'method="get" action="{url}"' in checklist  # the button opens the question
    asked = inspector_client.get(url).content.decode()
    assert "Xóa ảnh này của tiêu chí A1? Không thể hoàn tác." in asked
    assert EvidencePhoto.objects.count() == 1
    assert inspector_client.post(url)["Location"].endswith("#c-A1")
    assert not EvidencePhoto.objects.exists()


def test_a_document_is_a_file_to_delete_not_a_photo(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    code = (
        Criterion.objects.filter(
            version_id=inspection.round.version_id, evidence=EvidenceKind.DOCUMENT
        )
        .values_list("code", flat=True)
        .first()
    )
    photo_attach(by=cast.inspector, inspection=inspection, data=PDF, criterion_code=code)
    document = EvidencePhoto.objects.get()
    checklist = inspector_client.get(reverse("checklist", args=[inspection.pk])).content.decode()
    article = checklist[checklist.index(f'id="c-{code}"') :]
    article = article[: article.index("</article>")]
    assert "Xóa tệp" in article and "Xóa ảnh" not in article
    asked = inspector_client.get(reverse("photo-delete", args=[inspection.pk, document.pk]))
    assert f"Xóa tệp này của tiêu chí {code}? Không thể hoàn tác." in asked.content.decode()


def test_someone_who_may_not_edit_is_never_asked(
    inspection: Any, cast: Any, inspector_client: Client
) -> None:
    attach_evidence(inspection, cast.inspector, only=["A1"])
    photo = EvidencePhoto.objects.get()
    other = Client()
    other.force_login(cast.other_inspector)
    url = reverse("photo-delete", args=[inspection.pk, photo.pk])
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert EvidencePhoto.objects.count() == 1
