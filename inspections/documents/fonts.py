"""The one serif family of our documents: Times-compatible, with every Vietnamese glyph.

Liberation Serif 2.x (Debian's fonts-liberation2) or Tinos (fonts-croscore). Each file is
named to WeasyPrint by path under a family name of our own, so a same-named older font
(fonts-liberation 1.x has no Vietnamese) can never be picked instead, and no glyph falls
back to another family: the tests read the PDF's font list to prove it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FAMILY = "CSX Serif"  # what the PDF's font names start with ("CSX-Serif", "CSX-Serif-Bold")
_STYLES = {  # (weight, style) → file stem suffix
    ("normal", "normal"): "Regular",
    ("bold", "normal"): "Bold",
    ("normal", "italic"): "Italic",
    ("bold", "italic"): "BoldItalic",
}
_CANDIDATES = (
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif"),
    ("/usr/share/fonts/truetype/croscore", "Tinos"),
)


@dataclass(frozen=True)
class FontFiles:
    folder: Path
    stem: str

    def path(self, suffix: str) -> Path:
        return self.folder / f"{self.stem}-{suffix}.ttf"

    def css(self) -> str:
        faces = [
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{self.path(suffix).as_uri()}"); }}'
            for (weight, style), suffix in _STYLES.items()
        ]
        return "\n".join(faces)


def _complete(folder: Path, stem: str) -> bool:
    return all((folder / f"{stem}-{suffix}.ttf").is_file() for suffix in _STYLES.values())


@lru_cache(maxsize=4)
def _find(configured: str) -> FontFiles:
    places = [(Path(configured), stem) for _f, stem in _CANDIDATES] if configured else []
    places += [(Path(folder), stem) for folder, stem in _CANDIDATES]
    for folder, stem in places:
        if _complete(folder, stem):
            return FontFiles(folder, stem)
    raise ImproperlyConfigured(
        "No serif font with Vietnamese glyphs for the records: install Debian's "
        "fonts-liberation2 (make setup does) or set RECORD_FONT_DIR to a folder with "
        "LiberationSerif-Regular.ttf, -Bold, -Italic and -BoldItalic."
    )


def font_files() -> FontFiles:
    return _find(settings.RECORD_FONT_DIR)
