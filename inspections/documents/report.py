"""The round's "Thông báo kết quả kiểm tra", from its published ranking."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from inspections.documents.formatting import date_in_words, vn_date, vn_number
from inspections.documents.record import STAR
from inspections.documents.render import render_pdf
from inspections.errors import DomainError, Problem
from inspections.models import Round
from inspections.selectors.reports import round_report_data


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    round_ = data["round"]
    groups = [
        {
            **group,
            "rows": [
                {
                    "rank": row.rank or "",
                    "unit": row.unit_name,
                    "classification": row.classification_name or "—",
                    "score": vn_number(row.score),
                    "provisional": row.provisional,
                }
                for row in group["rows"]
            ],
        }
        for group in data["groups"]
    ]
    return {
        **data,
        "groups": groups,
        "issuer": settings.RECORD_ISSUER,
        "number": f"    /{settings.REPORT_SYMBOL}",
        "place_and_date": date_in_words(settings.RECORD_PLACE, data["published_at"]),
        "period": f"{vn_date(round_.starts_on)} – {vn_date(round_.ends_on)}",
        "signer_title": settings.REPORT_SIGNER_TITLE,
        "signer_name": settings.REPORT_SIGNER_NAME,
        "star": STAR,
    }


def round_report_pdf(round: Round) -> bytes:
    """The report of a published round; the same snapshot always gives the same bytes."""
    if round.status != Round.Status.PUBLISHED:
        raise DomainError(
            _("Thông báo kết quả có sau khi đợt kiểm tra được công bố."),
            problem=Problem.WRONG_STATE,
        )
    data = round_report_data(round=round)
    return render_pdf(
        "documents/report.html",
        report_context(data),
        title=_("Thông báo kết quả kiểm tra: %(round)s") % {"round": round.name},
        dated=data["published_at"],
    )
