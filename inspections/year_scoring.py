"""The year's result of a unit, and whether it is proposed for commendation (docs/scoring.md,
"The year's result"). Pure like `scoring.py`: the rules are data of the year's policy, the
round results come in as exact fractions, and nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

from inspections.scoring import round_half_up

# Why a unit is not proposed: the criteria of the policy it does not meet, in this order.
CLASS: Final = "class"
CRITICAL: Final = "critical"
ACTIONS: Final = "actions"
COMMITMENT: Final = "commitment"
# Why a unit has no class for the year.
NO_ROUNDS: Final = "no_result"
TOO_FEW_ROUNDS: Final = "too_few_rounds"
UNCLASSIFIED: Final = "unclassified"


@dataclass(frozen=True)
class YearClass:
    """A year's rounded score >= minimum_score reaches this class."""

    code: str
    minimum_score: Decimal


@dataclass(frozen=True)
class YearRules:
    classes: tuple[YearClass, ...]  # best first
    minimum_rounds: int
    critical_cap: str = ""  # the best class a unit with a ★ failure in the year may reach


@dataclass(frozen=True)
class RoundScore:
    """A unit's result in one published round of the year, as that round stored it."""

    round_id: int
    exact: Fraction
    critical_failed: bool = False  # a ★ item failed in that round (what caps a round's class)


@dataclass(frozen=True)
class YearScore:
    exact: Fraction | None
    rounded: Decimal | None
    classification: str | None
    round_count: int
    critical_failed: bool
    capped: bool  # the ★ cap lowered the class the score alone reaches
    unclassified_reason: str = ""  # NO_ROUNDS, TOO_FEW_ROUNDS or UNCLASSIFIED; "" with a class


def year_score(rules: YearRules, rounds: Sequence[RoundScore]) -> YearScore:
    """The mean of the exact round scores, rounded once; the class from the policy's
    thresholds, capped when any round had a ★ failure; no class with too few rounds."""
    count = len(rounds)
    failed = any(r.critical_failed for r in rounds)
    if not count:
        return YearScore(None, None, None, 0, failed, False, NO_ROUNDS)
    exact = sum((r.exact for r in rounds), Fraction(0)) / count
    rounded = round_half_up(exact)
    if count < rules.minimum_rounds:
        return YearScore(exact, rounded, None, count, failed, False, TOO_FEW_ROUNDS)
    codes = [c.code for c in rules.classes]
    index = next((i for i, c in enumerate(rules.classes) if rounded >= c.minimum_score), None)
    if index is None:
        return YearScore(exact, rounded, None, count, failed, False, UNCLASSIFIED)
    capped = False
    if failed and rules.critical_cap in codes:
        cap = codes.index(rules.critical_cap)
        capped = index < cap
        index = max(index, cap)
    return YearScore(exact, rounded, codes[index], count, failed, capped)


@dataclass(frozen=True)
class ProposalRules:
    """Who is proposed for commendation: every criterion switched on must hold."""

    classes: tuple[str, ...]  # the year's classes that qualify (Xuất sắc in the reference)
    no_critical_failure: bool = True
    actions_verified: bool = True
    commitment_filed: bool = True


@dataclass(frozen=True)
class ProposalFacts:
    classification: str | None
    critical_failed: bool
    unverified_actions: int  # corrective actions of the year neither verified nor superseded
    commitment_filed: bool


def proposal_shortfalls(rules: ProposalRules, facts: ProposalFacts) -> tuple[str, ...]:
    """The criteria a unit misses (CLASS, CRITICAL, ACTIONS, COMMITMENT); none: proposed."""
    missed = []
    if facts.classification is None or facts.classification not in rules.classes:
        missed.append(CLASS)
    if rules.no_critical_failure and facts.critical_failed:
        missed.append(CRITICAL)
    if rules.actions_verified and facts.unverified_actions > 0:
        missed.append(ACTIONS)
    if rules.commitment_filed and not facts.commitment_filed:
        missed.append(COMMITMENT)
    return tuple(missed)
