"""One inspection as the checklist, review and result pages show it, in a few queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from inspections import display
from inspections.answers import as_form_text
from inspections.models import (
    Answer,
    AnswerType,
    ClassificationLevel,
    CorrectiveAction,
    Criterion,
    EvidenceKind,
    EvidencePhoto,
    Inspection,
    Section,
)
from inspections.policies import Viewer, inspections_for
from inspections.scoring import LEVELS
from inspections.selectors.actions import FOLLOW_UP_CRITERION, earlier_round_actions
from inspections.selectors.catalogue import catalogue_for_version

_LEVEL_CHOICES = [str(level) for level in LEVELS]


def _accept(criterion: Criterion) -> str:
    if criterion.evidence == EvidenceKind.DOCUMENT:
        return "image/*,application/pdf"
    return "image/*"


def _band_hint(criterion: Criterion) -> str:
    bands = sorted(criterion.bands, key=lambda band: Decimal(str(band["minimum"])), reverse=True)
    parts = [
        _("từ %(minimum)s%%: %(points)s điểm")
        % {"minimum": display.points(band["minimum"]), "points": display.points(band["points"])}
        for band in bands
    ]
    return "; ".join(parts)


@dataclass(frozen=True)
class CriterionLabels:
    """What the checklist says of one criterion in the active language, whoever reads it: it
    depends only on the version (frozen once published) and the language."""

    code: str
    kind: str
    text: str
    guidance: str
    critical: bool
    na_allowed: bool
    points: str  # "2 điểm"
    evidence: str  # "Cần ảnh", "Cần ảnh hoặc PDF", "Không cần minh chứng"
    accept: str  # the file inputs' accept
    band_hint: str  # a percentage's bands, "" for other kinds


def criterion_labels(criteria: Iterable[Criterion]) -> list[CriterionLabels]:
    """The labels of these criteria (already loaded: no query), in the active language."""
    evidence: dict[str, str] = {
        EvidenceKind.PHOTO: _("Cần ảnh"),
        EvidenceKind.DOCUMENT: _("Cần ảnh hoặc PDF"),
    }
    return [
        CriterionLabels(
            code=c.code,
            kind=c.answer_type,
            text=c.display_text,
            guidance=c.display_guidance,
            critical=c.critical,
            na_allowed=c.na_allowed,
            points=_("%(p)s điểm") % {"p": display.points(c.max_points)},
            evidence=evidence.get(c.evidence, _("Không cần minh chứng")),
            accept=_accept(c),
            band_hint=_band_hint(c) if c.answer_type == AnswerType.PERCENT else "",
        )
        for c in criteria
    ]


@dataclass
class CriterionRow:
    criterion: Criterion
    answer: Answer | None
    photos: list[EvidencePhoto] = field(default_factory=list)
    returned: bool = False
    problems: list[str] = field(default_factory=list)
    error: str = ""
    # The form's values: the stored answer, or what was posted when it was refused.
    value: str = ""
    note: str = ""
    flagged: bool = False
    # As the services stored them (Inspection.criterion_scores): never decided here.
    earned: Decimal | None = None
    possible: Decimal | None = None
    critical_failed: bool = False
    # On the follow-up criterion (A10) of an official inspection: last round's actions.
    earlier_actions: list[CorrectiveAction] | None = None

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def kind(self) -> str:
        return self.criterion.answer_type

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.is_answered

    @property
    def field_value(self) -> str:
        """The value field's text: a stored percentage with the reader's decimal mark ("97,5"
        in Vietnamese); what was posted, as typed, when it was refused."""
        if self.answer is not None and self.value == as_form_text(self.answer.value):
            return as_form_text(self.answer.value, mark=display.decimal_mark())
        return self.value

    @property
    def levels(self) -> list[str]:
        return _LEVEL_CHOICES

    @property
    def accept(self) -> str:
        return _accept(self.criterion)

    @property
    def band_hint(self) -> str:
        return _band_hint(self.criterion)

    @property
    def value_label(self) -> str:
        """The stored answer in words, for the read-only result."""
        value = as_form_text(self.answer.value) if self.answer is not None else ""
        if value == "":
            return _("Chưa chấm")
        if value == "na":
            return _("Không áp dụng")
        if self.kind == AnswerType.YES_NO:
            return _("Đạt") if value == "yes" else _("Không đạt")
        if self.kind == AnswerType.LEVEL:
            return _("Mức %(level)s") % {"level": value}
        return display.percent(value)


@dataclass
class SectionBlock:
    section: Section
    rows: list[CriterionRow]
    score: dict[str, Any] | None = None

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answered)


@dataclass
class Checklist:
    inspection: Inspection
    sections: list[SectionBlock]
    class_name: str = ""

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for block in self.sections for row in block.rows]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(block.answered for block in self.sections)

    def row(self, code: str) -> CriterionRow | None:
        return next((row for row in self.rows if row.code == code), None)


def visible_inspection(user: Viewer, pk: Any) -> Inspection:
    """The inspection if this user may know about it; a 404 otherwise (never a 403)."""
    rows: QuerySet[Inspection] = inspections_for(user).select_related("round__version", "unit")
    inspection = rows.filter(pk=pk).first()
    if inspection is None:
        raise Http404(_("Không tìm thấy phiếu."))
    return inspection


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def build_checklist(inspection: Inspection, *, with_levels: bool = False) -> Checklist:
    """Answers and photos: two queries, whatever their numbers (one more for last round on
    the follow-up criterion, two when it had actions); a published version's sections and
    criteria are read once per process (catalogue_for_version), a draft's here."""
    criteria = catalogue_for_version(inspection.round.version).criteria.values()
    answers = {a.criterion_id: a for a in Answer.objects.filter(inspection=inspection)}
    photos: dict[int | None, list[EvidencePhoto]] = {}
    for photo in EvidencePhoto.objects.filter(inspection=inspection).order_by("uploaded_at"):
        photos.setdefault(photo.criterion_id, []).append(photo)
    returned = set(inspection.returned_criteria or [])
    if inspection.state != Inspection.State.RETURNED:
        returned = set()
    scores = {s["section"]: s for s in inspection.section_scores or []}
    stored = {c["code"]: c for c in inspection.criterion_scores or []}
    blocks: dict[int, SectionBlock] = {}
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        points = stored.get(criterion.code, {})
        row = CriterionRow(
            criterion=criterion,
            answer=answer,
            photos=photos.get(criterion.pk, []),
            returned=criterion.code in returned,
            value=as_form_text(answer.value) if answer else "",
            note=answer.note if answer else "",
            flagged=bool(answer and answer.flagged),
            earned=_decimal(points.get("earned")),
            possible=_decimal(points.get("possible")),
            critical_failed=bool(points.get("critical_failed")),
        )
        section = criterion.section
        block = blocks.setdefault(
            section.pk, SectionBlock(section=section, rows=[], score=scores.get(section.code))
        )
        block.rows.append(row)
    ordered = sorted(blocks.values(), key=lambda b: (b.section.order, b.section.code))
    checklist = Checklist(inspection=inspection, sections=ordered)
    follow_up = checklist.row(FOLLOW_UP_CRITERION)
    if follow_up is not None and inspection.kind == Inspection.Kind.OFFICIAL:
        follow_up.earlier_actions = earlier_round_actions(inspection)
    if with_levels and inspection.classification:
        level = ClassificationLevel.objects.filter(
            version_id=inspection.round.version_id, code=inspection.classification
        ).first()
        checklist.class_name = level.display_name if level else inspection.classification
    return checklist
