"""The rows of the full data exports of a round or a year, read as they are written.

Nothing here holds a whole export: inspections are read with `iterator(chunk_size=…)` over
`values_list()`, and the answers of each batch of inspections (with their evidence counts and
earlier revisions) in one query each, so memory stays that of one batch whatever the size.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import (
    Answer,
    ClassificationLevel,
    CorrectiveAction,
    Criterion,
    EvidencePhoto,
    Inspection,
    InspectionRevision,
    Round,
    Section,
)
from inspections.models.catalogue import in_language

# Inspections read per batch: their answers (32 each) are one query.
BATCH = 500
Row = tuple[Any, ...]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportScope:
    """What a data export covers: one round, or every round that ends in a year."""

    round: Round | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        if (self.round is None) == (self.year is None):
            raise ValueError("an export covers a round or a year")

    @property
    def slug(self) -> str:
        """For file names: "dot-12" or "nam-2026"."""
        return f"dot-{self.round.pk}" if self.round is not None else f"nam-{self.year}"

    def rounds(self) -> QuerySet[Round]:
        if self.round is not None:
            return Round.objects.filter(pk=self.round.pk)
        return Round.objects.filter(ends_on__year=self.year).order_by("ends_on", "pk")

    def inspections(self) -> QuerySet[Inspection]:
        return Inspection.objects.filter(round__in=self.rounds().values("pk"))


def _full_name(full_name: str | None, username: str) -> str:
    return full_name or username


def _level_names(scope: ExportScope) -> dict[tuple[int, str], str]:
    versions = scope.rounds().values("version_id")
    return {
        (version_id, code): in_language(name, name_en)
        for version_id, code, name, name_en in ClassificationLevel.objects.filter(
            version__in=versions
        ).values_list("version_id", "code", "name", "name_en")
    }


def section_codes(scope: ExportScope) -> list[str]:
    """The sections of every version the scope's rounds use, in checklist order."""
    rows = (
        Section.objects.filter(version__in=scope.rounds().values("version_id"))
        .order_by("order", "code")
        .values_list("code", flat=True)
    )
    return list(dict.fromkeys(rows))


def inspection_count(scope: ExportScope) -> int:
    return scope.inspections().count()


def action_count(scope: ExportScope) -> int:
    return CorrectiveAction.objects.filter(inspection__in=scope.inspections().values("pk")).count()


_INSPECTION_FIELDS = (
    "pk",
    "round__name",
    "round__version_id",
    "unit__code",
    "unit_name_snapshot",
    "group_snapshot__name",
    "unit__group__name",
    "kind",
    "state",
    "revision",
    "inspector__profile__full_name",
    "inspector__username",
)


def _inspections(scope: ExportScope, *fields: str) -> Iterator[Row]:
    rows = scope.inspections().order_by(
        "round__ends_on", "round_id", "group_snapshot__sort_key", "unit__sort_key", "kind", "pk"
    )
    return rows.values_list(*_INSPECTION_FIELDS, *fields).iterator(chunk_size=BATCH)


def _batches(rows: Iterator[Row]) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _head(row: Row) -> list[Any]:
    """Round, group, unit code and name, kind, state: the first columns of a row."""
    (_pk, round_name, _version, code, unit_name, group, unit_group, kind, state) = row[:9]
    return [
        round_name,
        group or unit_group or "",
        code,
        unit_name,
        str(Inspection.Kind(kind).label),
        str(Inspection.State(state).label),
    ]


# --- Answers, one row per inspection revision and criterion --------------------------------


@dataclass(frozen=True)
class _Words:
    """The few words a million rows repeat, translated once per export."""

    passed: str
    failed: str
    not_applicable: str
    yes: str

    @classmethod
    def now(cls) -> _Words:
        return cls(_("Đạt"), _("Không đạt"), _("Không áp dụng"), _("Có"))


def _value(
    words: _Words, yes_no: bool | None, level: int | None, number: Decimal | None, na: bool
) -> Any:
    if na:
        return words.not_applicable
    if yes_no is not None:
        return words.passed if yes_no else words.failed
    if level is not None:
        return level
    return number


def _kept_value(words: _Words, raw: Any) -> Any:
    """An earlier revision's value as `_revision_data` kept it: "True", "3", "97.5", "na"."""
    if raw is None:
        return None
    if raw == "na":
        return words.not_applicable
    if raw in ("True", "False"):
        return words.passed if raw == "True" else words.failed
    try:
        return Decimal(raw)
    except ArithmeticError:
        return str(raw)


def _decimal(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw not in (None, "") else None
    except ArithmeticError:
        return None


def _criteria(scope: ExportScope) -> dict[int, tuple[str, tuple[int, int, str], Decimal]]:
    """Every criterion of the scope's versions: code, checklist order, maximum points."""
    rows = Criterion.objects.filter(version__in=scope.rounds().values("version_id")).values_list(
        "pk", "code", "section__order", "order", "max_points"
    )
    return {pk: (code, (s_order, order, code), top) for pk, code, s_order, order, top in rows}


def _earlier_revisions(
    words: _Words, head: list[Any], inspector: str, kept: list[tuple[int, dict[str, Any]]]
) -> Iterator[Row]:
    """Rows of the revisions Internal Affairs superseded, from the copy kept of each."""
    for revision, data in kept:
        kept_record = data.get("record")
        record: dict[str, Any] = kept_record if isinstance(kept_record, dict) else {}
        points = {
            c.get("code"): (c.get("points"), c.get("max_points"))
            for s in record.get("sections") or []
            for c in s.get("criteria") or []
        }
        photos = Counter(p.get("criterion") for p in record.get("photos") or [])
        for code, answer in (data.get("answers") or {}).items():
            earned, top = points.get(code, (None, None))
            yield (
                *head,
                revision,
                inspector,
                code,
                _kept_value(words, answer.get("value")),
                _decimal(earned),
                _decimal(top),
                answer.get("note") or "",
                words.yes if answer.get("flagged") else "",
                photos.get(code, 0),
            )


def answer_rows(scope: ExportScope, progress: Progress | None = None) -> Iterator[Row]:
    """Round, group, unit code, unit, kind, state, revision, inspector, criterion, value,
    points, maximum, note, flagged, evidence count; earlier revisions before the current."""
    criteria, words = _criteria(scope), _Words.now()
    total, done = (inspection_count(scope), 0) if progress is not None else (0, 0)
    for batch in _batches(_inspections(scope)):
        ids = [row[0] for row in batch]
        answers: dict[Any, list[Row]] = defaultdict(list)
        for answer in (
            Answer.objects.filter(inspection_id__in=ids)
            .values_list(
                "inspection_id",
                "criterion_id",
                "yes_no",
                "level",
                "number",
                "not_applicable",
                "note",
                "flagged",
                "points",
            )
            .iterator(chunk_size=4 * BATCH)
        ):
            answers[answer[0]].append(answer)
        photos = {
            (row["inspection_id"], row["criterion_id"]): row["n"]
            for row in EvidencePhoto.objects.filter(inspection_id__in=ids, criterion__isnull=False)
            .values("inspection_id", "criterion_id")
            .annotate(n=Count("pk"))
        }
        kept: dict[Any, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for inspection_id, revision, data in (
            InspectionRevision.objects.filter(inspection_id__in=ids)
            .order_by("inspection_id", "revision")
            .values_list("inspection_id", "revision", "data")
        ):
            kept[inspection_id].append((revision, data if isinstance(data, dict) else {}))
        for row in batch:
            head = _head(row)
            inspector = _full_name(row[10], row[11])
            yield from _earlier_revisions(words, head, inspector, kept.get(row[0], []))
            ordered = sorted(answers.get(row[0], []), key=lambda a: criteria[a[1]][1])
            for _i, criterion_id, yes_no, level, number, na, note, flagged, points in ordered:
                code, _order, top = criteria[criterion_id]
                yield (
                    *head,
                    row[9],
                    inspector,
                    code,
                    _value(words, yes_no, level, number, na),
                    points,
                    top,
                    note,
                    words.yes if flagged else "",
                    photos.get((row[0], criterion_id), 0),
                )
        done += len(batch)
        if progress is not None:
            progress(done, total)


# --- Inspections, one row each with its section scores ------------------------------------


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as the local wall-clock time, naive (spreadsheets know no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def inspection_rows(
    scope: ExportScope, sections: list[str], progress: Progress | None = None
) -> Iterator[Row]:
    """Round, group, unit code, unit, kind, state, revision, inspector, score, class, ★ failed,
    submitted, approved, then one score per section of `sections`."""
    levels = _level_names(scope)
    total = inspection_count(scope) if progress is not None else 0
    extra = ("score", "classification", "critical_failures", "section_scores")
    for done, row in enumerate(
        _inspections(scope, *extra, "submitted_at", "approved_at"),
        1,
    ):
        score, klass, failed, by_section, submitted, approved = row[12:]
        scores = {
            s.get("section"): _decimal(s.get("score"))
            for s in (by_section or [])
            if isinstance(s, dict)
        }
        yield (
            *_head(row),
            row[9],
            _full_name(row[10], row[11]),
            score,
            levels.get((row[2], klass), klass),
            ", ".join(str(code) for code in failed or []),
            _local(submitted),
            _local(approved),
            *(scores.get(code) for code in sections),
        )
        if progress is not None and done % BATCH == 0:
            progress(done, total)


# --- Corrective actions with their states and dates ---------------------------------------


def action_rows(scope: ExportScope, progress: Progress | None = None) -> Iterator[Row]:
    """Round, group, unit code, unit, criterion, reason, status, finding, opened, due,
    responses, last response, verified, verified by, verification note."""
    rows = (
        CorrectiveAction.objects.filter(inspection__in=scope.inspections().values("pk"))
        .annotate(responses_count=Count("responses"))
        .order_by("inspection__round__ends_on", "inspection__round_id", "unit__sort_key", "pk")
        .values_list(
            "inspection__round__name",
            "inspection__group_snapshot__name",
            "unit__group__name",
            "unit__code",
            "inspection__unit_name_snapshot",
            "criterion__code",
            "reason",
            "status",
            "finding",
            "opened_at",
            "due_on",
            "responses_count",
            "verified_at",
            "verified_by__profile__full_name",
            "verified_by__username",
            "verification_note",
        )
    )
    total = action_count(scope) if progress is not None else 0
    for done, row in enumerate(rows.iterator(chunk_size=BATCH), 1):
        (round_name, group, unit_group, code, unit_name, criterion, reason, status) = row[:8]
        finding, opened, due, responses, verified, by_name, by_user, note = row[8:]
        yield (
            round_name,
            group or unit_group or "",
            code,
            unit_name,
            criterion,
            str(CorrectiveAction.Reason(reason).label),
            str(CorrectiveAction.Status(status).label),
            finding,
            _local(opened),
            due,
            responses,
            _local(verified),
            _full_name(by_name, by_user or "") if verified else "",
            note,
        )
        if progress is not None and done % BATCH == 0:
            progress(done, total)


def scope_has_rows(scope: ExportScope) -> bool:
    return scope.rounds().exists()


__all__ = [
    "ExportScope",
    "action_count",
    "action_rows",
    "answer_rows",
    "inspection_count",
    "inspection_rows",
    "scope_has_rows",
    "section_codes",
]
