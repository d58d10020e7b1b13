"""Reading a PDF the way the acceptance criteria ask: Debian's poppler-utils."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@dataclass
class ReadPdf:
    pages: list[str]  # pdftotext -layout, one text per page
    raw: str  # pdftotext in content order: a wrapped cell stays in one piece
    info: dict[str, str]
    fonts: list[dict[str, str]]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def words(self) -> str:
        """The text in content order with every run of spaces and line ends made one space."""
        return " ".join(self.raw.split())


def read_pdf(data: bytes) -> ReadPdf:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "doc.pdf")
        path.write_bytes(data)
        text = _run("pdftotext", "-layout", "-enc", "UTF-8", str(path), "-")
        raw = _run("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
        info_text = _run("pdfinfo", str(path))
        fonts_text = _run("pdffonts", str(path))
    info = {}
    for line in info_text.splitlines():
        key, _sep, value = line.partition(":")
        info[key.strip()] = value.strip()
    fonts = []
    for line in fonts_text.splitlines()[2:]:
        parts = re.split(r"\s+", line.strip())
        # name, type (may be two words), encoding, emb, sub, uni, object, id
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return ReadPdf(pages=text.split("\f")[:-1] or [text], raw=raw, info=info, fonts=fonts)
