from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

BASE = Path(settings.BASE_DIR)
ENGLISH_CATALOGUES = [
    BASE / "locale/en/LC_MESSAGES/django.po",
    *BASE.glob("*/locale/en/LC_MESSAGES/django.po"),
]


def test_vietnamese_is_what_an_unknown_visitor_gets():
    with translation.override("vi"):
        assert gettext("Phòng Nội vụ") == "Phòng Nội vụ"


def test_english_pages_translate_the_interface():
    with translation.override("en"):
        assert gettext("Phòng Nội vụ") == "Internal Affairs"
        assert gettext("Đã công bố") == "Published"


@pytest.mark.parametrize("catalogue", ENGLISH_CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_every_interface_string_has_an_english_translation(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    entries = re.split(r"\n\n", text)[1:]  # the first entry is the header
    untranslated = [
        entry.splitlines()[-2]
        for entry in entries
        if re.search(r'msgstr ""\n*$', entry.strip() + "\n")
    ]
    assert untranslated == []
    fuzzy = [entry.splitlines()[-2] for entry in entries if "#, fuzzy" in entry]
    assert fuzzy == [], "a fuzzy entry is ignored at run time: translate it and drop the flag"
