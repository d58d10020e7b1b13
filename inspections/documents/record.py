"""The biên bản kiểm tra of one revision of an inspection, from its stored content."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from inspections.documents import pades
from inspections.documents.formatting import (
    as_local,
    date_in_words,
    vn_date,
    vn_number,
    vn_points,
    vn_time,
)
from inspections.documents.qr import qr_data_uri
from inspections.documents.render import render_pdf, storage_url
from inspections.selectors.records import SignatureState, record_token

SIGNATURE_BOX = (600, 200)
# ★ drawn, not typed: the serif family has no star glyph, and no other font may creep in.
STAR = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><path d="M10 1l2.6 6.1 6.6.6'
        b'-5 4.4 1.5 6.5L10 15.2 4.3 18.6l1.5-6.5-5-4.4 6.6-.6z"/></svg>'
    ).decode()
)


def record_number(data: dict[str, Any]) -> str:
    """ "12/BB-KT": the number given at approval and the agency's symbol."""
    number = data.get("number")
    # Numbers under 10 take a leading 0 (Nghị định 30/2020/NĐ-CP, Phụ lục I).
    return f"{number:02d}/{settings.RECORD_SYMBOL}" if number else f"    /{settings.RECORD_SYMBOL}"


def verify_url(inspection_id: Any, revision: int) -> str:
    path = reverse("record-verify", args=[record_token(inspection_id, revision)])
    return settings.SITE_URL + path


def strokes_uri(strokes: list[list[int]]) -> str:
    """A drawn signature as an SVG image: one polyline per stroke, a dot for a tap."""
    width, height = SIGNATURE_BOX
    paths = []
    for stroke in strokes:
        points = list(zip(stroke[0::2], stroke[1::2], strict=True))
        if len(points) == 1:
            x, y = points[0]
            points.append((x + 1, y))
        head, *rest = points
        d = f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in rest)
        paths.append(f'<path d="{d}"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><g fill="none" stroke="#1a237e" stroke-width="4" '
        f'stroke-linecap="round" stroke-linejoin="round">{"".join(paths)}</g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _signature_block(state: SignatureState | None, *, fallback_name: str) -> dict[str, Any]:
    if state is None:
        return {"name": fallback_name, "position": "", "image": "", "status": "", "time": ""}
    signature = state.signature
    status = ""
    if signature.on_paper:
        status = _("Ký trên bản giấy")
    elif not state.current:
        status = _("Chưa ký lại sau khi kết quả thay đổi")
    return {
        "name": signature.name,
        "position": signature.position,
        "image": strokes_uri(signature.strokes) if signature.strokes and state.current else "",
        "status": status,
        "time": vn_time(signature.signed_at),
    }


def record_context(data: dict[str, Any], signatures: dict[str, SignatureState]) -> dict[str, Any]:
    sections = []
    for section in data["sections"]:
        rows = [
            {
                **criterion,
                "points_text": "—"
                if criterion["not_applicable"]
                else f"{vn_points(criterion['points'] or 0)}/{vn_points(criterion['max_points'])}",
                "failed": criterion.get("critical_failed")
                or criterion["code"] in data["critical_failures"],
            }
            for criterion in section["criteria"]
        ]
        score = section.get("score")
        sections.append(
            {
                **section,
                "rows": rows,
                "score_text": f"{vn_number(score)}%" if score is not None else "—",
                "points_text": f"{vn_points(section.get('earned'))}/"
                f"{vn_points(section.get('possible'))}"
                if section.get("possible")
                else "—",
            }
        )
    criteria = {c["code"]: c["text"] for s in data["sections"] for c in s["criteria"]}
    representatives = data["representatives"]
    unit_name = representatives[0]["name"] if representatives else ""
    return {
        "issuer": settings.RECORD_ISSUER,
        "number": record_number(data),
        "place_and_date": date_in_words(settings.RECORD_PLACE, data.get("dated")),
        "data": data,
        "visit_from": vn_time(data.get("started_at")),
        "visit_to": vn_time(data.get("submitted_at")),
        "sections": sections,
        "score": vn_number(data.get("score")),
        "earned": vn_points(data.get("earned")),
        "possible": vn_points(data.get("possible")),
        "failures": [(code, criteria.get(code, "")) for code in data["critical_failures"]],
        "actions": [{**a, "due": vn_date(a["due_on"])} for a in data["actions"]],
        "photos": [
            {
                **photo,
                "src": storage_url(photo["thumbnail"]) if photo["thumbnail"] else "",
                "time": vn_time(photo["captured_at"]),
            }
            for photo in data["photos"]
        ],
        "notes": [m for m in data["members"] if m["note"]],
        "signature_blocks": [
            _signature_block(signatures.get("unit"), fallback_name=unit_name),
            _signature_block(signatures.get("lead"), fallback_name=data["lead"]),
        ],
        "star": STAR,
        "qr": qr_data_uri(verify_url(data["inspection"], data["revision"])),
        "verify_url": verify_url(data["inspection"], data["revision"]),
        "approved_on": vn_date(data.get("approved_at")),
    }


def record_unsigned_pdf(data: dict[str, Any], signatures: dict[str, SignatureState]) -> bytes:
    """The record as WeasyPrint lays it out: the same data gives the same bytes."""
    with translation.override("vi"):  # an official document, whoever asks for it
        context = record_context(data, signatures)
        title = _("Biên bản kiểm tra %(number)s") % {"number": record_number(data)}
    return render_pdf(
        "documents/record.html", context, title=title, dated=as_local(data.get("dated"))
    )


def record_pdf(data: dict[str, Any], signatures: dict[str, SignatureState]) -> tuple[bytes, bool]:
    """The record, with the agency's PAdES signature when a certificate is configured."""
    pdf = record_unsigned_pdf(data, signatures)
    if not pades.configured():
        return pdf, False
    signed = pades.sign(
        pdf,
        reason=_("Biên bản kiểm tra số %(number)s") % {"number": record_number(data)},
        location=settings.RECORD_PLACE,
    )
    return signed, True
