"""The year's commendation proposals as an official document (the round report's header)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.documents.formatting import date_in_words, vn_number
from inspections.documents.render import render_pdf
from inspections.models import EmulationModel
from inspections.selectors.years import YearProposals, criteria_text


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "unit": row.unit_name,
            "group": row.group_name,
            "score": vn_number(row.score),
            "classification": row.classification_name or "—",
            "reasons": row.reasons,
        }
        for row in rows
    ]


def proposals_context(proposals: YearProposals) -> dict[str, Any]:
    policy = proposals.policy
    dated = policy.published_at if policy.is_published else None
    movement = EmulationModel.objects.order_by("pk").values_list("name", flat=True).first()
    return {
        "year": proposals.year,
        "movement": movement or "",
        "published": proposals.published,
        "criteria": criteria_text(policy),
        "proposed": _rows(proposals.proposed),
        "not_proposed": _rows(proposals.not_proposed),
        "issuer": settings.RECORD_ISSUER,
        "number": "    /TTr-NV",
        "place_and_date": date_in_words(settings.RECORD_PLACE, dated or timezone.now()),
        "signer_title": settings.REPORT_SIGNER_TITLE,
        "signer_name": settings.REPORT_SIGNER_NAME,
    }


def proposals_pdf(proposals: YearProposals) -> bytes:
    """The list with the official header; dated at publication once the year is published."""
    policy = proposals.policy
    return render_pdf(
        "documents/proposals.html",
        proposals_context(proposals),
        title=_("Đề nghị khen thưởng năm %(year)s") % {"year": proposals.year},
        dated=policy.published_at if policy.is_published else None,
    )
