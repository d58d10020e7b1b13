"""The year's rules (docs/scoring.md, "The year's result"): worked examples and properties."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from inspections import scoring, year_scoring
from inspections.year_scoring import (
    ProposalFacts,
    ProposalRules,
    RoundScore,
    YearClass,
    YearRules,
    proposal_shortfalls,
    year_score,
)

REFERENCE = YearRules(
    classes=(
        YearClass("xuat_sac", Decimal(90)),
        YearClass("tot", Decimal(80)),
        YearClass("kha", Decimal(65)),
        YearClass("dat", Decimal(50)),
        YearClass("khong_dat", Decimal(0)),
    ),
    minimum_rounds=3,
    critical_cap="dat",
)
ORDER = [c.code for c in REFERENCE.classes]


def rounds(*scores: str, failed: int | None = None) -> list[RoundScore]:
    return [
        RoundScore(i, Fraction(score), critical_failed=(i == failed))
        for i, score in enumerate(scores)
    ]


def test_the_worked_example_of_the_docs() -> None:
    # 92.5, 88.25, 95 → mean 91.91666…, rounded once to 91.92: Xuất sắc.
    result = year_score(REFERENCE, rounds("92.5", "88.25", "95"))
    assert result.exact == Fraction(1103, 12)
    assert result.rounded == Decimal("91.92")
    assert result.classification == "xuat_sac"
    assert result.round_count == 3
    assert not result.capped


def test_a_unit_with_one_round_too_few_has_a_score_but_no_class() -> None:
    result = year_score(REFERENCE, rounds("96", "98"))
    assert result.rounded == Decimal("97.00")
    assert result.classification is None
    assert result.unclassified_reason == year_scoring.TOO_FEW_ROUNDS


def test_a_capped_round_caps_the_year() -> None:
    result = year_score(REFERENCE, rounds("95", "96", "94", failed=1))
    assert result.rounded == Decimal("95.00")
    assert result.classification == "dat"
    assert result.capped
    assert result.critical_failed


def test_a_failure_below_the_cap_changes_nothing() -> None:
    result = year_score(REFERENCE, rounds("40", "45", "30", failed=0))
    assert result.classification == "khong_dat"
    assert result.critical_failed
    assert not result.capped


def test_no_round_no_score() -> None:
    result = year_score(REFERENCE, [])
    assert result.rounded is None
    assert result.unclassified_reason == year_scoring.NO_ROUNDS


def test_a_policy_without_a_zero_threshold_leaves_low_scores_unclassified() -> None:
    rules = YearRules(classes=(YearClass("dat", Decimal(50)),), minimum_rounds=1)
    result = year_score(rules, rounds("49.99"))
    assert result.classification is None
    assert result.unclassified_reason == year_scoring.UNCLASSIFIED


def test_the_mean_is_rounded_once_on_the_exact_scores() -> None:
    # Rounded first, 80.00, 80.00 and 80.01 would average 80.0033… → 80.00; the exact
    # scores average 80.005 exactly, which rounds half-up to 80.01.
    exact = [Fraction("80.0049"), Fraction("80.0049"), Fraction("80.0052")]
    result = year_score(REFERENCE, [RoundScore(i, s) for i, s in enumerate(exact)])
    assert result.exact == Fraction("80.005")
    assert result.rounded == Decimal("80.01")
    assert result.classification == "tot"


def test_a_tie_across_groups_is_one_rank_in_each_group() -> None:
    same = year_score(REFERENCE, rounds("91", "92", "93"))
    first_group = scoring.rank_units(
        ORDER,
        [
            scoring.RankingEntry(1, same.classification, same.rounded, "a"),
            scoring.RankingEntry(2, same.classification, same.rounded, "b"),
            scoring.RankingEntry(3, "tot", Decimal("85"), "c"),
        ],
    )
    second_group = scoring.rank_units(
        ORDER, [scoring.RankingEntry(4, same.classification, same.rounded, "d")]
    )
    assert [r.rank for r in first_group] == [1, 1, 3]
    assert [r.rank for r in second_group] == [1]


def test_proposals_name_every_criterion_missed() -> None:
    rules = ProposalRules(classes=("xuat_sac",))
    facts = ProposalFacts("tot", critical_failed=True, unverified_actions=2, commitment_filed=False)
    assert proposal_shortfalls(rules, facts) == ("class", "critical", "actions", "commitment")
    good = ProposalFacts("xuat_sac", False, 0, True)
    assert proposal_shortfalls(rules, good) == ()


def test_criteria_switched_off_are_not_asked() -> None:
    rules = ProposalRules(
        classes=("xuat_sac", "tot"),
        no_critical_failure=False,
        actions_verified=False,
        commitment_filed=False,
    )
    assert proposal_shortfalls(rules, ProposalFacts("tot", True, 5, False)) == ()
    assert proposal_shortfalls(rules, ProposalFacts(None, False, 0, True)) == ("class",)


scores = st.decimals(min_value=0, max_value=100, places=2).map(Fraction)


@given(st.lists(st.tuples(scores, st.booleans()), min_size=1, max_size=8))
def test_a_year_score_lies_between_the_round_scores(
    given_rounds: list[tuple[Fraction, bool]],
) -> None:
    result = year_score(REFERENCE, [RoundScore(i, s, f) for i, (s, f) in enumerate(given_rounds)])
    lowest = min(s for s, _f in given_rounds)
    highest = max(s for s, _f in given_rounds)
    assert result.exact is not None and result.rounded is not None
    assert lowest <= result.exact <= highest
    assert scoring.round_half_up(lowest) <= result.rounded <= scoring.round_half_up(highest)


@given(
    st.lists(
        st.tuples(st.sampled_from([*ORDER, None]), st.decimals(0, 100, places=2)),
        min_size=1,
        max_size=12,
    )
)
def test_rank_is_a_function_of_class_and_score(rows: list[tuple[str | None, Decimal]]) -> None:
    entries = [
        scoring.RankingEntry(i, klass, score, f"{len(rows) - i:03d}")
        for i, (klass, score) in enumerate(rows)
    ]
    ranked = scoring.rank_units(ORDER, entries)
    seen: dict[tuple[str | None, Decimal | None], int | None] = {}
    for row in ranked:
        key = (row.classification, row.rounded_score)
        assert seen.setdefault(key, row.rank) == row.rank
    better = [r for r in ranked if r.rank is not None]
    for a, b in itertools.pairwise(better):
        assert (ORDER.index(a.classification or ""), -(a.rounded_score or 0)) <= (
            ORDER.index(b.classification or ""),
            -(b.rounded_score or 0),
        )


@given(st.lists(st.tuples(scores, st.booleans()), min_size=0, max_size=6))
def test_too_few_rounds_never_get_a_class(given_rounds: list[tuple[Fraction, bool]]) -> None:
    result = year_score(REFERENCE, [RoundScore(i, s, f) for i, (s, f) in enumerate(given_rounds)])
    if len(given_rounds) < REFERENCE.minimum_rounds:
        assert result.classification is None
    else:
        assert result.classification is not None
        assert not any(f for _s, f in given_rounds) or ORDER.index(
            result.classification
        ) >= ORDER.index("dat")
