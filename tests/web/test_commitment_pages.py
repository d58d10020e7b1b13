"""Commitments per year: the share signed, and each unit uploading its own."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections.models import Commitment
from tests.accounts import sign_in
from tests.factories import jpeg_bytes


def client_for(user: Any) -> Client:
    return sign_in(user)


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("camket.jpg", jpeg_bytes(), content_type="image/jpeg")


def test_an_office_uploads_its_signed_commitment_and_the_share_follows(cast: Any) -> None:
    office = client_for(cast.ward_office)
    url = reverse("commitments") + "?nam=2026"
    form = {"unit": "PANLAC", "signed_on": "2026-02-03", "scan": scan()}
    assert office.post(url, form).status_code == 302
    assert Commitment.objects.get().unit.code == "PANLAC"
    html = client_for(cast.leader).get(url).content.decode()
    assert "1/6 đơn vị đã ký (17%)" in html and "03/02/2026" in html


def test_nobody_records_another_units_commitment_and_bad_input_is_a_4xx(cast: Any) -> None:
    url = reverse("commitments") + "?nam=2026"
    office = client_for(cast.ward_office)
    assert office.post(url, {"unit": "STC", "scan": scan()}).status_code == 400
    assert client_for(cast.leader).post(url, {"unit": "STC", "scan": scan()}).status_code == 403
    corrupt = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    assert 400 <= office.post(url, {"unit": "PANLAC", "scan": corrupt}).status_code < 500
    assert office.get(reverse("commitments") + "?nam=abc").status_code == 400
    assert not Commitment.objects.exists()
