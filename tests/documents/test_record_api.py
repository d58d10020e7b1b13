"""The record through the API and the web, its verification page, the PAdES signature and the
round's report. Each test renders what it needs, once: they are marked `pdf`."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from inspections.documents.record import verify_url
from inspections.models import InspectionRecord
from inspections.services import inspection_revise, round_close, round_publish
from tests.accounts import sign_in
from tests.documents.poppler import read_pdf
from tests.inspections.builders import approved_inspection

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def verify_link(pdf: bytes, inspection: Any, revision: int) -> str:
    """The verification address printed under the QR code (it may wrap: compare unspaced)."""
    link = verify_url(inspection.pk, revision)
    assert link in "".join(read_pdf(pdf).words.split())
    return link.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def approved(open_round, org, cast):
    return approved_inspection(
        open_round,
        org.ward,
        cast.inspector,
        internal_affairs=cast.internal_affairs,
        value_for={"C6": (False, "Có khói thuốc")},
    )


def test_the_record_is_made_once_kept_and_vouched_for_until_a_revision(approved, cast):
    path = f"/api/v1/inspections/{approved.pk}/record.pdf"
    first = api(cast.ward_office).get(path)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    pdf = first.content
    digest = hashlib.sha256(pdf).hexdigest()
    assert first["ETag"] == f'"{digest}"'
    assert 'filename="bien-ban-01-' in first["Content-Disposition"]
    stored = InspectionRecord.objects.get(inspection=approved, revision=1)
    assert stored.first_downloaded_at is not None and stored.sha256 == digest
    again = api(cast.internal_affairs).get(path)
    assert again.content == pdf  # the stored file, never made again

    link = verify_link(pdf, approved, 1)
    page = Client().get(link)  # no sign-in
    assert page.status_code == 200
    text = page.content.decode()
    assert digest in text and "01/BB-KT" in text and approved.unit_name_snapshot in text
    assert "đã được thay thế" not in text
    # Nothing else, no photos: no criterion code as a word of its own (a random nonce or the
    # link's token may hold the letters "A1").
    assert not re.search(r"(?<![\w+/=-])A1(?![\w+/=-])", text)
    assert "/api/v1/photos/" not in text

    inspection_revise(
        by=cast.internal_affairs,
        inspection=approved,
        reason="Sửa C6 sau khi xác minh",
        answers={"C6": {"value": True}},
    )
    latest = api(cast.internal_affairs).get(path)
    assert latest.status_code == 200 and latest.content != pdf
    assert "Điều chỉnh lần 2" in read_pdf(latest.content).words
    earlier = api(cast.internal_affairs).get(path + "?revision=1")
    assert earlier.content == pdf
    assert api(cast.internal_affairs).get(path + "?revision=3").status_code == 404
    superseded = Client().get(link).content.decode()
    assert "đã được thay thế bởi lần điều chỉnh 2" in superseded and digest in superseded
    web = sign_in(cast.ward_office)
    assert web.get(f"/phieu/{approved.pk}/bien-ban.pdf?revision=1").getvalue() == pdf


def test_a_forged_verification_link_is_a_404(client):
    assert client.get("/xac-minh/abc:def/").status_code == 404


def _pkcs12(folder: Any) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Phòng Nội vụ (thử nghiệm)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path = folder / "noivu.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"noivu", key, cert, None, serialization.BestAvailableEncryption(b"mat-khau")
        )
    )
    return path, cert


def test_with_a_certificate_configured_the_record_carries_a_valid_pades_signature(
    approved, cast, settings, tmp_path
):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    path, cert = _pkcs12(tmp_path)
    settings.RECORD_PKCS12_PATH = str(path)
    settings.RECORD_PKCS12_PASSWORD = "mat-khau"
    response = api(cast.internal_affairs).get(f"/api/v1/inspections/{approved.pk}/record.pdf")
    assert response.status_code == 200
    assert InspectionRecord.objects.get(inspection=approved).digitally_signed
    reader = PdfFileReader(io.BytesIO(response.content))
    (signature,) = reader.embedded_signatures
    root = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_the_round_report_of_a_published_round(approved, open_round, cast):
    round_close(round=open_round, by=cast.internal_affairs, confirmed=True)
    round_publish(round=open_round, by=cast.internal_affairs)
    response = api(cast.inspector).get(f"/api/v1/rounds/{open_round.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    read = read_pdf(response.content)
    words = read.words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "THÔNG BÁO" in words
    assert approved.unit_name_snapshot in words
    # ★ is drawn (the serif family has no star): the text keeps the brackets around it.
    assert re.search(r"Số phiếu không đạt tiêu chí bắt buộc \( ?\): 1\.", words), words
    names = {re.sub(r"^[A-Z]{6}\+", "", font["name"]) for font in read.fonts}
    assert all(name.startswith("CSX-Serif") for name in names), names
    assert "Số yêu cầu khắc phục đã mở: 1" in words
    assert re.search(r"\b\d{1,3},\d\d\b", words)
    assert read.info["Page size"].endswith("(A4)")
    web = sign_in(cast.leader)
    page = web.get(f"/dot/{open_round.pk}/xep-hang/?format=pdf")
    assert page.status_code == 200 and page.content == response.content


def test_a_worker_renders_each_approved_revision_before_anyone_asks(
    open_round, org, cast, settings, django_capture_on_commit_callbacks
):
    settings.RECORDS_PREPARE_ON_APPROVAL = True  # tasks run at once in the tests
    with django_capture_on_commit_callbacks(execute=True):
        approved = approved_inspection(
            open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
        )
    made = InspectionRecord.objects.get(inspection=approved, revision=1)
    assert made.first_downloaded_at is None  # rendered by the worker, not by a download
    with django_capture_on_commit_callbacks(execute=True):
        inspection_revise(
            by=cast.internal_affairs,
            inspection=approved,
            reason="Sửa C6 sau khi xác minh",
            answers={"C6": {"value": False, "note": "Có khói thuốc"}},
        )
    assert set(
        InspectionRecord.objects.filter(inspection=approved).values_list("revision", flat=True)
    ) == {1, 2}
    first = api(cast.ward_office).get(f"/api/v1/inspections/{approved.pk}/record.pdf")
    assert hashlib.sha256(first.content).hexdigest() == (
        InspectionRecord.objects.get(inspection=approved, revision=2).sha256
    )


def test_a_signature_after_approval_renders_again_a_record_nobody_downloaded_yet(
    open_round, org, cast, settings, django_capture_on_commit_callbacks
):
    from inspections.services.team import signature_record

    settings.RECORDS_PREPARE_ON_APPROVAL = True
    with django_capture_on_commit_callbacks(execute=True):
        approved = approved_inspection(
            open_round, org.ward, cast.inspector, internal_affairs=cast.internal_affairs
        )
    rendered = InspectionRecord.objects.get(inspection=approved, revision=1).sha256
    with django_capture_on_commit_callbacks(execute=True):
        signature_record(
            by=cast.inspector,
            inspection=approved,
            role="unit",
            name="Trần Văn Bình",
            position="Chánh Văn phòng",
            on_paper=True,
        )
    again = InspectionRecord.objects.get(inspection=approved, revision=1)
    assert again.sha256 != rendered and again.first_downloaded_at is None
    path = f"/api/v1/inspections/{approved.pk}/record.pdf"
    assert hashlib.sha256(api(cast.ward_office).get(path).content).hexdigest() == again.sha256
    with django_capture_on_commit_callbacks(execute=True):
        signature_record(by=cast.inspector, inspection=approved, role="lead", on_paper=True)
    kept = InspectionRecord.objects.get(inspection=approved, revision=1)
    assert kept.sha256 == again.sha256  # downloaded: never made again
