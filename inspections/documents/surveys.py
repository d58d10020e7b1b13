"""The service indicators' documents: a desk's A4 poster with its QR code, a unit's survey
summary for a round (D2's evidence), and a unit's rows of the one-stop export (D1, D3)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from inspections.documents.formatting import vn_date, vn_number
from inspections.documents.qr import qr_data_uri
from inspections.documents.render import render_pdf
from inspections.models import OneStopDossier, SurveyPoint
from inspections.rates import Rate
from inspections.selectors.surveys import SurveySummary


def survey_url(point: SurveyPoint) -> str:
    """The desk's public page, as printed: SITE_URL + /y-kien/<token>/."""
    return f"{settings.SITE_URL.rstrip('/')}/y-kien/{point.token}/"


def poster_pdf(point: SurveyPoint) -> bytes:
    url = survey_url(point)
    return render_pdf(
        "documents/survey_poster.html",
        {"point": point, "unit": point.unit, "url": url, "qr": qr_data_uri(url, scale=10)},
        title=_("Khảo sát sự hài lòng: %(unit)s") % {"unit": point.unit.name},
        dated=point.created_at,
    )


def _percent(value: object) -> str:
    return vn_number(value, 1) + "%" if value is not None else "—"


def summary_pdf(summary: SurveySummary, *, made_at: datetime.datetime) -> bytes:
    """The unit's answers in the round's dates, per desk, level and attitude."""
    desks = [
        {
            "desk": desk.desk,
            "total": desk.total,
            "satisfied": desk.satisfied,
            "on_time": desk.on_time,
            "rate": _percent(desk.rate.value),
        }
        for desk in summary.desks
    ]
    return render_pdf(
        "documents/survey_summary.html",
        {
            "summary": summary,
            "unit": summary.unit,
            "period": f"{vn_date(summary.starts_on)} – {vn_date(summary.ends_on)}",
            "rate": _percent(summary.rate.value),
            "desks": desks,
            "made_at": vn_date(made_at),
            "minimum": summary.rate.minimum,
        },
        title=_("Tổng hợp ý kiến người dân: %(unit)s") % {"unit": summary.unit.name},
        dated=made_at,
    )


def dossiers_pdf(
    *,
    unit_name: str,
    round_name: str,
    code: str,
    found: Rate,
    dossiers: list[OneStopDossier],
    file_name: str,
    made_at: datetime.datetime,
) -> bytes:
    """The unit's rows of the round's one-stop export, with the rate they give."""
    rows = [
        {
            "line": d.line,
            "code": d.code,
            "received": vn_date(d.received_on),
            "due": vn_date(d.due_on),
            "resolved": vn_date(d.resolved_on) if d.resolved_on else "—",
            "on_time": d.on_time,
            "online": d.online,
        }
        for d in dossiers
    ]
    return render_pdf(
        "documents/onestop_rows.html",
        {
            "unit_name": unit_name,
            "round_name": round_name,
            "code": code,
            "rate": _percent(found.value),
            "found": found,
            "rows": rows,
            "file_name": file_name,
            "made_at": vn_date(made_at),
        },
        title=_("Số liệu một cửa: %(unit)s") % {"unit": unit_name},
        dated=made_at,
    )
