"""The checklist's parts that depend only on a published version and the reader's language.

Each criterion's heading, its answer controls (one copy per value it can hold, that value
checked) and its file field with the Save button are rendered once per version and language
and kept in each process's memory: a published version never changes (the database refuses
it). Never a form, a CSRF token or anything of one inspection or one person: those are
rendered on every request around these parts (templates/web/_criterion.html).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inspections.answers import field_messages
from inspections.models import AnswerType, Criterion, Inspection, ModelVersion
from inspections.scoring import LEVELS
from inspections.selectors import CriterionLabels, criterion_labels

# The checklist's two dialogs (the photo viewer, the drawing): words and addresses only.
_DIALOGS = {"viewer": "web/_viewer.html", "annotate": "web/_annotate.html"}
_TEMPLATES = (
    "web/_criterion_head.html",
    "web/_answer_controls.html",
    "web/_criterion_files.html",
    "web/_checklist_words.html",
)
_INCLUDED = ("web/_file_field.html", *_DIALOGS.values())
_LEVELS = [str(level) for level in LEVELS]
_KEPT_ENTRIES = 64  # versions × languages in use at once: a handful
_KEPT: OrderedDict[tuple[object, ...], object] = OrderedDict()
_LOCK = threading.Lock()
_BLANK_LINES = re.compile(r"\n\s*\n")  # the templates' layout; no <pre> or <textarea> here


@dataclass(frozen=True)
class CriterionParts:
    attrs: SafeString  # the article's attributes that never change: id, code, kind, N/A
    head: SafeString  # the heading (code, text, ★) and the points and evidence line
    # The answer controls with each value it can hold checked ("": none). Empty for a
    # percentage, whose field holds whatever was typed: rendered on every request.
    choices: dict[str, SafeString]
    files: SafeString  # the file field and the Save button

    def controls(self, value: str) -> SafeString | None:
        if not self.choices:
            return None
        return self.choices.get(value, self.choices[""])


@cache
def _release() -> str:
    """Changes with the templates and translations these parts come from: a new release
    never reads parts cached by the previous one (Redis outlives a deployment)."""
    digest = hashlib.sha256()
    for name in (*_TEMPLATES, *_INCLUDED):
        digest.update(Path(get_template(name).origin.name).read_bytes())  # type: ignore[attr-defined]
    for folder in settings.LOCALE_PATHS:
        for found in sorted(Path(folder).glob("*/LC_MESSAGES/django.mo")):
            digest.update(found.read_bytes())
    return digest.hexdigest()[:12]


def _values(labels: CriterionLabels) -> list[str]:
    held = ["yes", "no"] if labels.kind == AnswerType.YES_NO else _LEVELS
    return ["", *held, *(["na"] if labels.na_allowed else [])]


def _fragment(name: str, context: dict[str, object]) -> SafeString:
    return SafeString(_BLANK_LINES.sub("\n", render_to_string(name, context)))


def _render(labels: CriterionLabels) -> CriterionParts:
    code = labels.code
    context = {"code": code, "labels": labels}
    choices: dict[str, SafeString] = {}
    if labels.kind != AnswerType.PERCENT:
        c = {"display_guidance": labels.guidance, "na_allowed": labels.na_allowed}
        for value in _values(labels):
            row = {"kind": labels.kind, "value": value, "levels": _LEVELS}
            choices[value] = _fragment(
                "web/_answer_controls.html",
                {"c": c, "row": row, "code": code, "value_name": "value", "na_name": "na"},
            )
    return CriterionParts(
        attrs=format_html(
            'id="c-{}" data-code="{}" data-kind="{}"{}',
            code,
            code,
            labels.kind,
            SafeString(' data-na-allowed="1"') if labels.na_allowed else "",
        ),
        head=_fragment("web/_criterion_head.html", context),
        choices=choices,
        files=_fragment("web/_criterion_files.html", context),
    )


def criterion_parts(
    version: ModelVersion, criteria: Iterable[Criterion]
) -> dict[str, CriterionParts]:
    """Every criterion's parts by code, kept in this process when the version is published.

    `criteria` are the version's, already loaded (the checklist's rows): no query either way.
    Kept in the process, not in Redis: some 200 KB per version and language, read on every
    checklist without a round trip or unpickling.
    """
    if not version.is_published or version.published_at is None:
        return _render_all(criteria)
    # The publication time too: a test database hands out the same id again after a rollback.
    key = ("parts", version.pk, version.published_at.timestamp(), get_language() or "")
    return _kept(key, lambda: _render_all(criteria))  # type: ignore[return-value]


def page_words() -> SafeString:
    """The checklist's words for its script (its data-t-… attributes and the answer field
    messages), the same for every checklist in a language."""
    key = ("words", get_language() or "")
    return _kept(key, _render_words)  # type: ignore[return-value]


def page_dialogs() -> dict[str, SafeString]:
    """The checklist's dialogs, the same for every checklist in a language."""
    key = ("dialogs", get_language() or "")
    return _kept(key, _render_dialogs)  # type: ignore[return-value]


def _render_dialogs() -> dict[str, SafeString]:
    return {name: SafeString(render_to_string(path)) for name, path in _DIALOGS.items()}


def _render_all(criteria: Iterable[Criterion]) -> dict[str, CriterionParts]:
    return {labels.code: _render(labels) for labels in criterion_labels(criteria)}


def _render_words() -> SafeString:
    messages = json.dumps(field_messages(), ensure_ascii=False)
    html = render_to_string("web/_checklist_words.html", {"answer_messages": messages})
    return SafeString(html.strip())


def _kept(key: tuple[object, ...], make: Callable[[], object]) -> object:
    """The value kept under key (plus this release), made once when missing."""
    key = (*key, _release())
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    value = make()
    with _LOCK:
        _KEPT[key] = value
        while len(_KEPT) > _KEPT_ENTRIES:
            _KEPT.popitem(last=False)
    return value


# Reversing a URL costs tens of microseconds; a checklist has a hundred of them (a form per
# criterion, three links per photo). Each is reversed once per page with SLOT in the place
# of the id or code, and `fill` puts the value there, quoted as reverse() quotes it.
SLOT = str(uuid.UUID(int=0))


def page_urls(inspection: Inspection) -> dict[str, str]:
    return {
        "answer": reverse("answer", args=[inspection.pk, SLOT]),
        "display": reverse("api:photo-file", args=[SLOT, "display"]),
        "thumbnail": reverse("api:photo-file", args=[SLOT, "thumbnail"]),
        "delete": reverse("photo-delete", args=[inspection.pk, SLOT]),
        "photo": reverse("photo", args=[SLOT]),
        "annotations": reverse("api:photo-annotations", args=[SLOT]),
    }


def fill(pattern: str, value: object) -> str:
    if isinstance(value, uuid.UUID):  # hex digits and hyphens: nothing to quote
        return pattern.replace(SLOT, str(value))
    return pattern.replace(SLOT, quote(str(value), safe=RFC3986_SUBDELIMS + "/~:@"))


def checklist_words() -> dict[str, SafeString | str]:
    """The words every criterion repeats, translated once per page rather than per criterion."""

    def status(icon: str, text: str) -> SafeString:
        return format_html('<span aria-hidden="true">{} </span>{}', icon, text)

    return {
        "failed": status("⚠", _("Chưa lưu")),
        "saved": status("✓", _("Đã lưu")),
        "empty": status("○", _("Chưa chấm")),
        "returned": _("Cần xem lại"),
        "note": _("Ghi chú"),
        "annotate": _("Vẽ ghi chú"),
        "flag": _("Đề nghị khắc phục"),
        "remove_photo": _("Xóa ảnh"),
        "remove_file": _("Xóa tệp"),
        "taken": _("Chụp lúc"),
        "sent": _("Gửi lúc"),
    }
