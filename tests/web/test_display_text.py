"""Every page and export of the demo, read as a person reads it, in Vietnamese and in English.

One crawl per language and role follows the links of the pages it renders (a few of each URL
pattern, the ranking's XLSX and CSV included) and reads the visible text: numbers in Vietnamese
carry a decimal comma, English pages name classes and states in English, and no message shows
a field name or a code. The year's export is a file made once, in the language it was asked
in (tests/notifications/test_exports.py); it is read here in Vietnamese only.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from openpyxl import load_workbook

from inspections.models import (
    ClassificationLevel,
    CorrectiveAction,
    Inspection,
    Round,
)
from tests.accounts import sign_in

# The demo loads in ~20 s and the crawl reads a few hundred pages and files: once in CI.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Logins of the demo, one per role: Internal Affairs, the leader, an inspector, two offices.
LOGINS = ("noivu", "lanhdao", "kiemtra1", "panlac", "pdonghoa")
# A few pages of each URL pattern are enough: the rest differ only in their rows.
PER_PATTERN = 2
# Never followed: they change who is signed in, or are files read elsewhere. The criteria
# workbook is, like the CSV, a file for a round trip: its codes (yes_no, photo) and both
# languages' columns are what its import reads back (tests/web/test_edition_pages.py).
SKIPPED = {
    "logout",
    "sign-out-everywhere",
    "record-pdf",
    "service-worker",
    "set_language",
    "edition-export",
}

# A number with a decimal point (92.50, 4.5), not a part of a date, a code or a version.
DECIMAL_POINT = re.compile(r"(?<![\w.,/:-])\d+\.\d+(?![\w.,/:-]*\d)")
# A field name or a code where a sentence belongs: "value: …", "__all__", "non_field_errors".
FIELD_NAME = re.compile(
    r"\b(?:value|answers\.[\w.]+|__all__|non_field_errors)\s*:|\b[a-z]+_[a-z_]+\b"
)


class _Text(HTMLParser):
    """The text a person sees (no scripts or styles) and the links of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "input" and values.get("type") in ("text", "number", "email", "search"):
            self.parts.append(values.get("value") or "")
        for name in ("placeholder", "title", "aria-label"):
            if values.get(name):
                self.parts.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    parts = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if isinstance(cell.value, (int, float)):
                    continue  # a number for people: its format is checked elsewhere
                parts.append(str(cell.value))
    return "\n".join(parts)


def _vietnamese_names() -> set[str]:
    """Class and state names as Vietnamese shows them: none may appear on an English page."""
    names = set(ClassificationLevel.objects.values_list("name", flat=True))
    with translation.override("vi"):
        for choices in (
            Inspection.State.labels,
            Round.Status.labels,
            CorrectiveAction.Status.labels,
        ):
            names.update(str(label) for label in choices)
    return {name for name in names if name}


def _crawl(login: str, language: str) -> list[tuple[str, str, str]]:
    """(url, content type, visible text) of every page reached from the home page."""
    client = sign_in(get_user_model().objects.get(username=login))
    client.cookies["django_language"] = language
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    queue = ["/"]
    pages = []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        name = match.url_name or ""
        if (
            name in SKIPPED
            or "format=pdf" in url
            or path.startswith(("/admin/", "/api/", "/static/", "/media/"))
        ):
            continue
        if per_pattern[name + "?" + urlsplit(url).query[:12]] >= PER_PATTERN:
            continue
        per_pattern[name + "?" + urlsplit(url).query[:12]] += 1
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "spreadsheetml" in kind:
            pages.append((url, kind, _xlsx_text(body)))
            continue
        if "text/html" not in kind:
            continue
        parser = _Text()
        parser.feed(body.decode())
        pages.append((url, kind, " ".join(parser.parts)))
        for link in parser.links:
            parts = urlsplit(link)
            if not parts.netloc and parts.path.startswith("/"):
                queue.append(link.split("#")[0])
            elif link.startswith("?format="):  # the ranking's files, made for this reader
                queue.append(path + link)
    return pages


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())


def test_every_page_reads_right_in_vietnamese_and_in_english(demo: None) -> None:
    vietnamese_names = _vietnamese_names()
    problems: list[str] = []
    count = 0
    for login in LOGINS:
        for language in ("vi", "en"):
            for url, _kind, text in _crawl(login, language):
                count += 1
                text = " ".join(text.split())
                if language == "vi":
                    for match in DECIMAL_POINT.finditer(text):
                        context = text[max(0, match.start() - 40) : match.end() + 20]
                        problems.append(f"{login} vi {url}: decimal point in “{context}”")
                elif resolve(urlsplit(url).path).url_name != "export-file":
                    for name in vietnamese_names:
                        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                            problems.append(f"{login} en {url}: untranslated “{name}”")
                for match in FIELD_NAME.finditer(text):
                    context = text[max(0, match.start() - 40) : match.end() + 20]
                    problems.append(f"{login} {language} {url}: field name in “{context}”")
    draft = Inspection.objects.filter(state=Inspection.State.DRAFT).select_related("inspector")
    draft_inspection = draft.first()
    assert draft_inspection is not None
    for language in ("vi", "en"):  # a refused answer without JavaScript: a sentence only
        client = sign_in(draft_inspection.inspector)
        client.cookies["django_language"] = language
        for value in ("101", "92,55", "abc"):
            response = client.post(
                reverse("answer", args=[draft_inspection.pk, "D1"]), {"value": value, "na": ""}
            )
            parser = _Text()
            parser.feed(response.content.decode())
            text = " ".join(" ".join(parser.parts).split())
            for match in FIELD_NAME.finditer(text):
                problems.append(f"answer {value} {language}: field name in “{match.group()}”")
    assert count > 50
    assert problems == [], "\n".join(sorted(set(problems)))
