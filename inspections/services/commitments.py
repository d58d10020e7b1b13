"""Commitments (bản cam kết): one signed scan per unit and year."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import Commitment, EvidencePhoto, OrgUnit
from inspections.photos import process_upload
from inspections.policies import Actor
from inspections.services.audit import record_event
from inspections.services.evidence import stored_evidence
from inspections.services.evidence_checks import photos_check


def commitment_record(
    *,
    by: Actor,
    unit: OrgUnit,
    year: int,
    signed_on: datetime.date | None,
    data: bytes,
    note: str = "",
) -> Commitment:
    """Record a unit's signed commitment for a year, with its scan (image or PDF)."""
    if not policies.may_record_commitment(by, unit):
        raise DomainError(
            _("Chỉ đơn vị hoặc Phòng Nội vụ được ghi nhận bản cam kết."), problem=Problem.FORBIDDEN
        )
    problems: dict[str, list[str]] = {}
    if not 2000 <= year <= 2100:
        problems["year"] = [_("Năm phải nằm trong khoảng 2000–2100.")]
    if signed_on is not None and signed_on.year != year:
        problems["signed_on"] = [_("Ngày ký phải thuộc năm cam kết.")]
    if problems:
        raise DomainError(_("Chưa ghi nhận được bản cam kết."), fields=problems)
    if Commitment.objects.filter(unit=unit, year=year).exists():
        raise _already_signed()
    upload = process_upload(data, allow_pdf=True)
    try:
        with stored_evidence([upload], by=by) as (columns,), transaction.atomic():
            commitment = Commitment.objects.create(
                unit=unit, year=year, signed_on=signed_on, note=note.strip(), created_by=by
            )
            scan = EvidencePhoto.objects.create(commitment=commitment, **columns)
            photos_check(photos=[scan])
            record_event(actor=by, action="commitment_recorded", target=commitment, year=year)
    except IntegrityError:
        raise _already_signed() from None  # a concurrent record of the same unit and year won
    return commitment


def _already_signed() -> DomainError:
    return DomainError(
        _("Đơn vị đã có bản cam kết của năm này."),
        problem=Problem.WRONG_STATE,
        fields={"year": [_("Đã có bản cam kết của năm này.")]},
        code="commitment_exists",
    )
