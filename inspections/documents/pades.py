"""The optional PAdES signature of a record (pyHanko), with the agency's PKCS#12 certificate
named by RECORD_PKCS12_PATH; without it, records are unsigned (signed on paper)."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def configured() -> bool:
    return bool(settings.RECORD_PKCS12_PATH)


@lru_cache(maxsize=2)
def _signer(path: str, password: str) -> Any:
    from pyhanko.sign import signers  # imported on first use: most agencies sign on paper

    signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        path, passphrase=password.encode() or None
    )
    if signer is None:
        raise ImproperlyConfigured(f"RECORD_PKCS12_PATH: cannot read a PKCS#12 file at {path}")
    return signer


def sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with a PAdES (B-B) signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(settings.RECORD_PKCS12_PATH, settings.RECORD_PKCS12_PASSWORD)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()
