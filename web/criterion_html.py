"""One criterion of the checklist, the part of it that is this inspection's: built in Python.

Rendering web/_criterion.html 32 times through the template engine was most of the page's
time even with the version's parts cached (web/fragments.py): thousands of variable
lookups and filters for a few values per criterion. This writes the same HTML with plain
string joins, every value escaped as the template escaped it (conditional_escape). The rare
parts (last round's actions, an indicator's proposal) still come from their templates. The
output was checked byte for byte against the template it replaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from inspections.models import Inspection
from inspections.selectors import CriterionRow
from inspections.selectors.indicators import INDICATOR_CODES
from web.answer_controls import percent_controls
from web.fragments import CriterionParts, fill
from web.templatetags.checklist import as_json
from web.templatetags.surveys import proposal_for

_e = conditional_escape


def _x(text: str) -> str:
    """A plain str (never SafeData) escaped as conditional_escape would, without its lazy
    wrapper: ids, addresses, captions of each photo."""
    return escape(text)


class CriterionWriter:
    """What every criterion of one page shares: words, URLs, the CSRF field, the request."""

    def __init__(
        self,
        request: HttpRequest,
        inspection: Inspection,
        words: Mapping[str, Any],
        urls: Mapping[str, str],
    ) -> None:
        self.request, self.inspection = request, inspection
        self.words = {key: str(_e(value)) for key, value in words.items()}
        self.urls = urls
        token = _e(get_token(request))  # as {% csrf_token %} writes it
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        self.proposal_context = {"user": getattr(request, "user", None)}
        self.proposals_read = False
        self.alt = _("Ảnh minh chứng %(code)s (%(n)s)")  # translated once per page

    def html(self, row: CriterionRow, parts: CriterionParts) -> SafeString:
        w, code = self.words, _x(row.code)
        out = ['\n<article class="crit']
        if row.returned:
            out.append(" crit--returned")
        if row.error:
            out.append(" crit--error")
        out += ['" ', parts.attrs, ' data-answered="', "1" if row.answered else ""]
        out += ['" aria-labelledby="t-', code, '">', parts.head]
        if row.earlier_actions is not None:
            out.append(self._template("web/_earlier_actions.html", row, code))
        if row.returned:
            out += ['<p class="badge badge--returned"><span aria-hidden="true">↩ </span>']
            out += [w["returned"], "</p>\n"]
        state = "failed" if row.error else "saved" if row.answered else "empty"
        out += ['<p class="status" data-status data-state="', state, '" role="status">']
        out += [w[state], "</p>\n"]
        if row.error:
            out += ['<p class="msg msg--error" role="alert" id="e-', code, '">']
            out += ['<span aria-hidden="true">⚠ </span>', str(_e(row.error)), "</p>\n"]
        out.append(self._proposal(row.code))
        out += ['\n<form method="post" action="', _x(fill(self.urls["answer"], row.code))]
        out += ['" enctype="multipart/form-data" class="answer" data-answer>', self.csrf, "\n"]
        kept = parts.controls(row.value)
        out += [kept if kept is not None else percent_controls(row, row.code) + "\n", "\n"]
        out += ['<label for="n-', code, '">', w["note"], "</label>\n"]
        out += ['<textarea id="n-', code, '" name="note" rows="2">', str(_e(row.note))]
        out += ['</textarea>\n<p class="check"><input type="checkbox" id="f-', code]
        out += ['" name="flagged" value="1"', " checked" if row.flagged else ""]
        out += ['><label for="f-', code, '"><span aria-hidden="true">⚑ </span>', w["flag"]]
        out.append('</label></p>\n<ul class="thumbs" data-thumbs>')
        for n, photo in enumerate(row.photos, start=1):
            out.append(self._photo(photo, code, n))
        out += ["\n</ul>\n", parts.files, "\n</form>\n"]
        for photo in row.photos:
            pk = _x(str(photo.pk))
            delete = _x(fill(self.urls["delete"], photo.pk))
            out += ['<form id="rm-', pk, '" method="get" action="', delete, '" hidden></form>']
        out.append("\n</article>\n")
        return SafeString("".join(out))

    def _photo(self, photo: Any, code: str, n: int) -> str:
        w, pk = self.words, _x(str(photo.pk))
        display = _x(fill(self.urls["display"], photo.pk))
        out = ["\n  <li>"]
        if photo.thumbnail:
            alt = self.alt % {"code": code, "n": n}
            if photo.captured_at:
                when = f"{w['taken']} {_date(photo.captured_at)}"
            else:
                when = f"{w['sent']} {_date(photo.uploaded_at)}"
            caption = _x(photo.caption) if photo.caption else alt
            thumbnail = _x(fill(self.urls["thumbnail"], photo.pk))
            # A blurred or annotated photo's copies have new addresses: no cache keeps the old.
            copies = photo.copies_version
            version = f"?v={_x(copies)}" if copies else ""
            out += ['<a class="thumb" href="', display, version, '" data-view data-caption="']
            out += [caption, '" data-time="', when, '"><img src="', thumbnail, version]
            out += ['" alt="', alt, '" width="88" height="88" loading="lazy"></a>\n  ']
            page = _x(fill(self.urls["photo"], photo.pk))
            drawings = _x(as_json(photo.annotations))
            out += ['<a class="btn btn--quiet btn--small" href="', page, '" data-annotate="']
            out += [_x(fill(self.urls["annotations"], photo.pk)), '" data-annotations="']
            out += [drawings, '"><span aria-hidden="true">✎ </span>', w["annotate"]]
            out.append(f'<span class="sr"> {n}</span></a>')
            kind, remove = "photo", w["remove_photo"]
        else:
            out += ['<a class="doc" href="', display, f'">PDF {n}</a>\n  ']
            kind, remove = "file", w["remove_file"]
        out += ['\n  <button type="submit" form="rm-', pk]
        out += ['" class="btn btn--quiet btn--small" data-remove="', pk, '" data-file-kind="']
        out += [kind, '"><span aria-hidden="true">✕ </span>', remove]
        out.append(f'<span class="sr"> {n}</span></button></li>')
        return "".join(out)

    def _proposal(self, code: str) -> str:
        """web/surveys/_proposal.html: read for every page (the same queries for any model),
        rendered only where there is one. Once read (at the first criterion, so any model
        runs the same queries), only the indicators' criteria can have one."""
        if self.proposals_read and code not in INDICATOR_CODES:
            return "\n"
        self.proposals_read = True
        if proposal_for(self.proposal_context, self.inspection, code) is None:
            return "\n"
        context = {"inspection": self.inspection, "code": code}
        return render_to_string("web/surveys/_proposal.html", context, request=self.request)

    def _template(self, name: str, row: CriterionRow, code: str) -> str:
        return get_template(name).render({"row": row, "code": row.code})


def _date(moment: Any) -> str:
    """As the template's `|date:'d/m/Y H:i'` (in the current time zone), without
    dateformat's parsing of the format for each photo."""
    t = localtime(moment)
    return f"{t.day:02d}/{t.month:02d}/{t.year:04d} {t.hour:02d}:{t.minute:02d}"
