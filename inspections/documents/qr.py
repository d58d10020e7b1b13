"""QR codes, drawn with segno (the product's one QR library) as SVG data URIs."""

from __future__ import annotations

import base64
import io

import segno


def qr_data_uri(text: str, *, scale: int = 3) -> str:
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, dark="#000")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
