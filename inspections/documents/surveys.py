"""The survey's two documents: a desk's A4 poster with its QR code, and a unit's summary for
a round, attached to D2 as the evidence of the proposed rate."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from inspections.documents.formatting import vn_date, vn_number
from inspections.documents.qr import qr_data_uri
from inspections.documents.render import render_pdf
from inspections.models import SurveyPoint
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
