"""Scoring of inspections, units and rankings: BRIEF.md, "Scoring rules" 1-7.

Pure on purpose: catalogue rules and answers in, exact scores out. No Django, no database,
no floats; points are `Decimal`, percentages `Fraction` until the single half-up rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import itemgetter
from typing import Final, TypeAlias

NA: Final = "na"
AnswerValue: TypeAlias = bool | int | Decimal | str | None

_HUNDRED: Final = Fraction(100)
_ONE_DECIMAL: Final = Decimal("0.1")
_TOP_LEVEL: Final = 4
LEVELS: Final = tuple(range(_TOP_LEVEL + 1))  # the levels a level criterion may take: 0-4
# Ranking sort key over (class position, -score, order key, unit id, entry): never the entry.
_STANDING_THEN_NAME: Final = itemgetter(0, 1, 2, 3)
_PERCENT_MAX: Final = Decimal(100)
_ZERO: Final = Decimal(0)


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    LEVEL = "level"
    PERCENT = "percent"


class ClassCode(StrEnum):
    EXCELLENT = "xuat_sac"
    GOOD = "tot"
    FAIR = "kha"
    PASS = "dat"
    FAIL = "khong_dat"


@dataclass(frozen=True)
class Band:
    """A value >= minimum earns points."""

    minimum: Decimal
    points: Decimal


@dataclass(frozen=True)
class CriterionRule:
    code: str
    section: str
    answer_type: AnswerType
    max_points: Decimal
    bands: tuple[Band, ...] = ()
    critical: bool = False
    na_allowed: bool = False

    def __post_init__(self) -> None:
        # Models store the type as a plain str; coerce so comparisons and bad data fail here.
        object.__setattr__(self, "answer_type", AnswerType(self.answer_type))


@dataclass(frozen=True)
class ClassRule:
    """A rounded score >= minimum_score reaches this class."""

    code: str
    minimum_score: Decimal


@dataclass(frozen=True)
class ModelRules:
    criteria: tuple[CriterionRule, ...]
    classes: tuple[ClassRule, ...]  # best first
    critical_cap: str
    top_class_section_minimum: Decimal
    applicable_floor: Decimal


def criterion_points(criterion: CriterionRule, value: AnswerValue) -> Decimal | None:
    """Points earned; None when N/A or unanswered, so it leaves both earned and possible.

    Takes typed answers only (inspections/answers.py reads what people and clients send)."""
    if value is None:
        return None
    kind = criterion.answer_type
    if value == NA and criterion.na_allowed:
        return None
    if kind == AnswerType.YES_NO and isinstance(value, bool):
        return criterion.max_points if value else Decimal(0)
    if kind == AnswerType.LEVEL and type(value) is int and value in LEVELS:
        return criterion.max_points * value / _TOP_LEVEL  # exact: dividing by 4 terminates
    if kind == AnswerType.PERCENT and isinstance(value, Decimal) and 0 <= value <= _PERCENT_MAX:
        return _band_points(criterion.bands, value)
    raise ValueError(f"{criterion.code}: {value!r} is no {kind.value} answer for this criterion.")


def _band_points(bands: Iterable[Band], value: Decimal) -> Decimal:
    # Bands may come unsorted from an edited draft version: take the highest minimum reached.
    reached = [band for band in bands if value >= band.minimum]
    if not reached:
        return Decimal(0)
    return max(reached, key=lambda band: (band.minimum, band.points)).points


@dataclass(frozen=True)
class CriterionResult:
    code: str
    earned: Decimal | None
    possible: Decimal | None
    critical_failed: bool


@dataclass(frozen=True)
class SectionScore:
    section: str
    earned: Decimal
    possible: Decimal
    exact: Fraction | None  # None when no criterion of the section applies ("—")
    rounded: Decimal | None


@dataclass(frozen=True)
class InspectionScore:
    earned: Decimal
    possible: Decimal
    exact: Fraction | None
    rounded: Decimal | None
    sections: tuple[SectionScore, ...]
    criteria: tuple[CriterionResult, ...]
    critical_failures: tuple[str, ...]
    classification: str | None
    enough_basis: bool
    # The ★ failures when they lowered the class to the cap; empty when the cap changed nothing.
    capped_by: tuple[str, ...] = ()


def score_inspection(rules: ModelRules, answers: Mapping[str, AnswerValue]) -> InspectionScore:
    """Score one checklist. Unanswered criteria count as not scored, so drafts show a running
    score; submit validation (rule 5) lives with the services."""
    results = tuple(criterion_result(c, answers.get(c.code)) for c in rules.criteria)
    by_section: dict[str, list[CriterionResult]] = {}
    for criterion, result in zip(rules.criteria, results, strict=True):
        by_section.setdefault(criterion.section, []).append(result)
    sections = tuple(_section_score(name, rows) for name, rows in by_section.items())
    return _inspection_score(
        rules,
        results,
        sections,
        earned=_total(r.earned for r in results),
        possible=_total(r.possible for r in results),
    )


def rescore_one(
    rules: ModelRules, previous: InspectionScore, code: str, value: AnswerValue
) -> InspectionScore:
    """The score after one criterion's answer changed, from the previous score's sums: the
    other answers are not read again (autosave). Equals score_inspection on the new answers
    (a Hypothesis property in tests/inspections/test_scoring.py)."""
    index = next(i for i, c in enumerate(rules.criteria) if c.code == code)
    rule = rules.criteria[index]
    if len(previous.criteria) != len(rules.criteria) or previous.criteria[index].code != code:
        raise ValueError(f"{code}: the previous score is not of these rules.")
    old, new = previous.criteria[index], criterion_result(rule, value)
    results = (*previous.criteria[:index], new, *previous.criteria[index + 1 :])
    earned_change = (new.earned or _ZERO) - (old.earned or _ZERO)
    possible_change = (new.possible or _ZERO) - (old.possible or _ZERO)
    sections = tuple(
        section_of_sums(s.section, s.earned + earned_change, s.possible + possible_change)
        if s.section == rule.section
        else s
        for s in previous.sections
    )
    return _inspection_score(
        rules,
        results,
        sections,
        earned=previous.earned + earned_change,
        possible=previous.possible + possible_change,
    )


def _inspection_score(
    rules: ModelRules,
    results: tuple[CriterionResult, ...],
    sections: tuple[SectionScore, ...],
    *,
    earned: Decimal,
    possible: Decimal,
) -> InspectionScore:
    exact = _percentage(earned, possible)
    rounded = None if exact is None else round_half_up(exact)
    critical_failures = tuple(r.code for r in results if r.critical_failed)
    classification, capped = classify_explained(
        rules,
        rounded_score=rounded,
        section_scores=[s.exact for s in sections],
        critical_failed=bool(critical_failures),
        applicable_points=possible,
    )
    return InspectionScore(
        earned=earned,
        possible=possible,
        exact=exact,
        rounded=rounded,
        sections=sections,
        criteria=results,
        critical_failures=critical_failures,
        classification=classification,
        enough_basis=_enough_basis(rules, possible),
        capped_by=critical_failures if capped else (),
    )


def criterion_result(criterion: CriterionRule, value: AnswerValue) -> CriterionResult:
    """One criterion's points and whether it fails as a ★ item (rule 2)."""
    earned = criterion_points(criterion, value)
    if earned is None:
        return CriterionResult(criterion.code, None, None, critical_failed=False)
    failed = criterion.critical and earned == 0
    return CriterionResult(criterion.code, earned, criterion.max_points, critical_failed=failed)


def _section_order(rules: ModelRules) -> list[str]:
    return list(dict.fromkeys(c.section for c in rules.criteria))


def _section_score(section: str, results: Sequence[CriterionResult]) -> SectionScore:
    return section_of_sums(
        section, _total(r.earned for r in results), _total(r.possible for r in results)
    )


def section_of_sums(section: str, earned: Decimal, possible: Decimal) -> SectionScore:
    """A section's score from its sums of earned and possible points (as stored)."""
    exact = _percentage(earned, possible)
    rounded = None if exact is None else round_half_up(exact)
    return SectionScore(section, earned, possible, exact, rounded)


def _total(points: Iterable[Decimal | None]) -> Decimal:
    return sum((p for p in points if p is not None), Decimal(0))


def _percentage(earned: Decimal, possible: Decimal) -> Fraction | None:
    if possible == 0:
        return None
    return _HUNDRED * Fraction(earned) / Fraction(possible)


def _enough_basis(rules: ModelRules, applicable_points: Decimal) -> bool:
    return applicable_points > 0 and applicable_points >= rules.applicable_floor


def round_half_up(value: Fraction | Decimal) -> Decimal:
    """Two decimals, ties away from zero, on the exact value: no float, no guard digits."""
    scaled = Fraction(value) * 100
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    sign = "-" if scaled < 0 and whole else ""
    return Decimal(f"{sign}{whole}e-2")  # built from text: exact whatever the context precision


def classify(
    rules: ModelRules,
    *,
    rounded_score: Decimal | None,
    section_scores: Iterable[Fraction | None],
    critical_failed: bool,
    applicable_points: Decimal,
) -> str | None:
    """Class code for a rounded score (rule 4); None when there is not enough basis."""
    return classify_explained(
        rules,
        rounded_score=rounded_score,
        section_scores=section_scores,
        critical_failed=critical_failed,
        applicable_points=applicable_points,
    )[0]


def classify_explained(
    rules: ModelRules,
    *,
    rounded_score: Decimal | None,
    section_scores: Iterable[Fraction | None],
    critical_failed: bool,
    applicable_points: Decimal,
) -> tuple[str | None, bool]:
    """The class, and whether a ★ failure lowered it to the cap (the score alone gave better)."""
    if rounded_score is None or not _enough_basis(rules, applicable_points):
        return None, False
    codes = [c.code for c in rules.classes]
    index = next((i for i, c in enumerate(rules.classes) if rounded_score >= c.minimum_score), None)
    if index is None:
        return None, False  # a version without a 0 threshold leaves lower scores unclassified
    section_minimum = Fraction(rules.top_class_section_minimum)
    if index == 0 and any(s is not None and s < section_minimum for s in section_scores):
        index = 1
    capped = False
    if critical_failed:
        cap = codes.index(rules.critical_cap)
        capped = index < cap
        index = max(index, cap)
    return (codes[index] if index < len(codes) else None), capped


@dataclass(frozen=True)
class UnitScore:
    exact: Fraction | None
    rounded: Decimal | None
    sections: dict[str, Decimal | None]
    classification: str | None
    critical_failed: bool
    enough_basis: bool
    inspection_count: int  # inspections whose scores were averaged
    capped_by: tuple[str, ...] = ()  # as InspectionScore.capped_by, over every inspection


def unit_score(rules: ModelRules, inspections: Sequence[InspectionScore]) -> UnitScore:
    """Rule 6 over the approved official inspections (latest revisions) the caller passes."""
    # The mean is over inspections that have a score; the unit has enough basis when any does.
    scored = [i for i in inspections if i.exact is not None]
    exact = _mean([i.exact for i in scored if i.exact is not None])
    section_means: dict[str, Fraction | None] = {}
    for section in _section_order(rules):
        values = [
            s.exact
            for i in scored
            for s in i.sections
            if s.section == section and s.exact is not None
        ]
        section_means[section] = _mean(values)
    failures = {code for i in inspections for code in i.critical_failures}
    rounded = None if exact is None else round_half_up(exact)
    classification, capped = classify_explained(
        rules,
        rounded_score=rounded,
        section_scores=section_means.values(),
        critical_failed=bool(failures),
        # the largest applicable total reaches the floor exactly when some inspection does
        applicable_points=max((i.possible for i in inspections), default=Decimal(0)),
    )
    return UnitScore(
        exact=exact,
        rounded=rounded,
        sections={s: None if m is None else round_half_up(m) for s, m in section_means.items()},
        classification=classification,
        critical_failed=bool(failures),
        enough_basis=any(i.enough_basis for i in inspections),
        inspection_count=len(scored),
        capped_by=tuple(c.code for c in rules.criteria if c.code in failures) if capped else (),
    )


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    if not values:
        return None
    return sum(values, Fraction(0)) / len(values)


@dataclass(frozen=True)
class RankingEntry:
    unit_id: int
    classification: str | None
    rounded_score: Decimal | None
    order_key: str = ""  # sorts ties and unranked units, e.g. a Vietnamese sort key of the name


@dataclass(frozen=True)
class RankedEntry:
    unit_id: int
    rank: int | None
    classification: str | None
    rounded_score: Decimal | None


def rank_units(class_order: Sequence[str], entries: Iterable[RankingEntry]) -> list[RankedEntry]:
    """Rule 7: competition ranking (1, 2, 2, 4) by class then rounded score; one sort."""
    position = {code: i for i, code in enumerate(class_order)}
    ranked: list[tuple[int, Decimal, str, int, RankingEntry]] = []
    unranked: list[RankingEntry] = []
    for entry in entries:
        klass, score = entry.classification, entry.rounded_score
        if klass is None or score is None:
            unranked.append(entry)
        elif klass not in position:
            raise ValueError(f"Unknown class {klass!r} for unit {entry.unit_id}.")
        else:
            ranked.append((position[klass], -score, entry.order_key, entry.unit_id, entry))
    ranked.sort(key=_STANDING_THEN_NAME)
    result: list[RankedEntry] = []
    previous: tuple[int, Decimal] | None = None
    rank = 0
    for place, (klass_position, negative_score, _, _, entry) in enumerate(ranked, start=1):
        standing = (klass_position, negative_score)
        if standing != previous:
            rank, previous = place, standing
        result.append(RankedEntry(entry.unit_id, rank, entry.classification, entry.rounded_score))
    unranked.sort(key=lambda entry: (entry.order_key, entry.unit_id))
    result.extend(RankedEntry(e.unit_id, None, e.classification, e.rounded_score) for e in unranked)
    return result


def movement(current_rank: int | None, previous_rank: int | None) -> int | None:
    """Places gained since the previous ranked round; None shows as "mới" or unranked."""
    if current_rank is None or previous_rank is None:
        return None
    return previous_rank - current_rank
