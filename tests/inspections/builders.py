"""Builders for inspections in every state, through the services only (tests and API tests).

Every answer goes through `answer_set` and every photo through `photo_attach`, so a test
built on these sees exactly what a phone would have produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest

from inspections.errors import DomainError, Problem
from inspections.models import Criterion, EvidenceKind, Inspection, OrgUnit, Round
from inspections.services import (
    answer_set,
    assignments_create,
    inspection_approve,
    inspection_create,
    inspection_submit,
    photo_attach,
)
from tests.factories import jpeg_bytes

# One small real JPEG, made once: the pipeline still decodes, hashes and resizes it every time.
_EVIDENCE = jpeg_bytes((48, 36))

# A value, or (value, note): what one criterion is answered with.
AnswerSpec = object | tuple[object, str]


def top_value(criterion: Criterion) -> object:
    """The value that earns the criterion its full points."""
    return {"yes_no": True, "level": 4, "percent": 100}[criterion.answer_type]


def criteria_of(inspection: Inspection) -> list[Criterion]:
    return list(
        Criterion.objects.filter(version_id=inspection.round.version_id).order_by(
            "section__order", "order", "code"
        )
    )


def answer_everything(
    inspection: Inspection,
    by: Any,
    *,
    value_for: Mapping[str, AnswerSpec] | Callable[[Criterion], AnswerSpec] | None = None,
    skip: Iterable[str] = (),
    flagged: Iterable[str] = (),
) -> None:
    """Answer every criterion: full marks unless `value_for` (a mapping by code, or a function
    of the criterion) says otherwise; a (value, note) pair sets the note too."""
    skipped, flags = set(skip), set(flagged)
    for criterion in criteria_of(inspection):
        if criterion.code in skipped:
            continue
        if callable(value_for):
            chosen = value_for(criterion)
        elif value_for is not None and criterion.code in value_for:
            chosen = value_for[criterion.code]
        else:
            chosen = top_value(criterion)
        value, note = chosen if isinstance(chosen, tuple) else (chosen, None)
        answer_set(
            by=by,
            inspection=inspection,
            criterion_code=criterion.code,
            value=value,
            note=note,
            flagged=criterion.code in flags or None,
        )


def attach_evidence(
    inspection: Inspection, by: Any, *, skip: Iterable[str] = (), only: Iterable[str] = ()
) -> None:
    """A real JPEG for every criterion that asks for evidence (a photo serves a Doc item too)."""
    skipped, wanted = set(skip), set(only)
    for criterion in criteria_of(inspection):
        if criterion.evidence == EvidenceKind.NONE or criterion.code in skipped:
            continue
        if wanted and criterion.code not in wanted:
            continue
        photo_attach(by=by, inspection=inspection, data=_EVIDENCE, criterion_code=criterion.code)


def assign(round: Round, unit: OrgUnit, inspector: Any, *, by: Any) -> None:
    assignments_create(by=by, round=round, inspector=inspector, units=[unit])


def submitted_inspection(
    round: Round,
    unit: OrgUnit,
    inspector: Any,
    *,
    internal_affairs: Any,
    value_for: Mapping[str, AnswerSpec] | Callable[[Criterion], AnswerSpec] | None = None,
    flagged: Iterable[str] = (),
) -> Inspection:
    """Assigned, created, every criterion answered with its evidence, and submitted."""
    assign(round, unit, inspector, by=internal_affairs)
    inspection, _created = inspection_create(by=inspector, round=round, unit=unit)
    answer_everything(inspection, inspector, value_for=value_for, flagged=flagged)
    attach_evidence(inspection, inspector, skip=_na_codes(inspection))
    return inspection_submit(by=inspector, inspection=inspection)


def approved_inspection(
    round: Round,
    unit: OrgUnit,
    inspector: Any,
    *,
    internal_affairs: Any,
    value_for: Mapping[str, AnswerSpec] | Callable[[Criterion], AnswerSpec] | None = None,
    flagged: Iterable[str] = (),
) -> Inspection:
    inspection = submitted_inspection(
        round,
        unit,
        inspector,
        internal_affairs=internal_affairs,
        value_for=value_for,
        flagged=flagged,
    )
    return inspection_approve(by=internal_affairs, inspection=inspection)


def _na_codes(inspection: Inspection) -> set[str]:
    return set(
        inspection.answers.filter(not_applicable=True).values_list("criterion__code", flat=True)
    )


def refusal(problem: Problem, call: Callable[..., Any], /, **kwargs: Any) -> DomainError:
    """Call a service that must refuse with `problem`; the error, for a closer look."""
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.problem == problem, caught.value
    return caught.value
