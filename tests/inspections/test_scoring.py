"""Scoring rules 1-7 of BRIEF.md, pinned by hand-computed examples and Hypothesis properties.

Plain tests: no Django settings, no database. Every expected number below was worked out by
hand from catalogue/README.md; the arithmetic is in the comment next to it.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inspections.scoring import (
    LEVELS,
    NA,
    AnswerType,
    AnswerValue,
    Band,
    ClassCode,
    ClassRule,
    CriterionRule,
    InspectionScore,
    ModelRules,
    RankingEntry,
    classify,
    criterion_points,
    movement,
    rank_units,
    round_half_up,
    score_inspection,
    unit_score,
)

D = Decimal
YN, LEVEL, PCT = AnswerType.YES_NO, AnswerType.LEVEL, AnswerType.PERCENT

# code, type, max points, critical (★), N/A allowed: the table of catalogue/README.md.
REFERENCE_TABLE: tuple[tuple[str, AnswerType, str, bool, bool], ...] = (
    ("A1", LEVEL, "3", False, False),
    ("A2", LEVEL, "3", False, False),
    ("A3", LEVEL, "3", False, False),
    ("A4", LEVEL, "3", False, False),
    ("A5", YN, "3", True, False),
    ("A6", LEVEL, "3", False, False),
    ("A7", LEVEL, "3", False, True),
    ("A8", YN, "3", False, False),
    ("A9", LEVEL, "3", False, False),
    ("A10", LEVEL, "3", False, False),
    ("B1", LEVEL, "4", False, False),
    ("B2", YN, "3", False, False),
    ("B3", YN, "2", False, True),
    ("B4", LEVEL, "4", False, False),
    ("B5", LEVEL, "4", False, False),
    ("B6", LEVEL, "4", False, False),
    ("B7", YN, "2", False, True),
    ("B8", LEVEL, "3", False, False),
    ("B9", YN, "2", False, True),
    ("B10", YN, "2", False, False),
    ("C1", YN, "4", True, False),
    ("C2", YN, "3", False, True),
    ("C3", YN, "2", False, False),
    ("C4", LEVEL, "4", False, False),
    ("C5", LEVEL, "3", False, False),
    ("C6", YN, "3", True, False),
    ("C7", YN, "3", True, False),
    ("C8", LEVEL, "2", False, False),
    ("C9", YN, "1", False, False),
    ("D1", PCT, "6", False, True),
    ("D2", PCT, "5", False, True),
    ("D3", PCT, "4", False, True),
)
REFERENCE_BANDS = {
    "D1": (("100", "6"), ("98", "4.5"), ("95", "3"), ("90", "1.5")),
    "D2": (("90", "5"), ("85", "3.5"), ("80", "2")),
    "D3": (("80", "4"), ("65", "3"), ("50", "2"), ("30", "1")),
}
REFERENCE_CLASSES = (
    ClassRule(ClassCode.EXCELLENT, D(90)),
    ClassRule(ClassCode.GOOD, D(80)),
    ClassRule(ClassCode.FAIR, D(65)),
    ClassRule(ClassCode.PASS, D(50)),
    ClassRule(ClassCode.FAIL, D(0)),
)
CLASS_ORDER = [c.code for c in REFERENCE_CLASSES]


def reference_rules() -> ModelRules:
    criteria = tuple(
        CriterionRule(
            code=code,
            section=code[0],
            answer_type=kind,
            max_points=D(points),
            bands=tuple(Band(D(m), D(p)) for m, p in REFERENCE_BANDS.get(code, ())),
            critical=critical,
            na_allowed=na,
        )
        for code, kind, points, critical, na in REFERENCE_TABLE
    )
    return ModelRules(criteria, REFERENCE_CLASSES, ClassCode.PASS, D(70), D(70))


REFERENCE = reference_rules()
FULL: dict[AnswerType, AnswerValue] = {YN: True, LEVEL: 4, PCT: D(100)}
ZERO: dict[AnswerType, AnswerValue] = {YN: False, LEVEL: 0, PCT: D(0)}


def all_yes(**overrides: AnswerValue) -> dict[str, AnswerValue]:
    """Every criterion at full points, then the overrides (percent given as str for brevity)."""
    answers = {c.code: FULL[c.answer_type] for c in REFERENCE.criteria}
    for code, value in overrides.items():
        answers[code] = D(value) if isinstance(value, str) and value != NA else value
    return answers


LEVELS_AT_3: dict[str, AnswerValue] = {
    c.code: 3 for c in REFERENCE.criteria if c.answer_type == LEVEL
}


def sections_rounded(score: InspectionScore) -> dict[str, Decimal | None]:
    return {s.section: s.rounded for s in score.sections}


def small_rules(*criteria: CriterionRule, floor: str = "70") -> ModelRules:
    return ModelRules(criteria, REFERENCE_CLASSES, ClassCode.PASS, D(70), D(floor))


def yes_no(
    code: str, points: str, *, critical: bool = False, na_allowed: bool = False
) -> CriterionRule:
    return CriterionRule(code, "S", YN, D(points), critical=critical, na_allowed=na_allowed)


# --- Worked examples: whole inspections of the reference model -------------------------------


def test_all_yes_scores_100_00_and_is_xuat_sac() -> None:
    score = score_inspection(REFERENCE, all_yes())
    assert (score.earned, score.possible) == (D(100), D(100))
    assert score.rounded == D("100.00")
    assert score.classification == ClassCode.EXCELLENT
    assert sections_rounded(score) == {"A": D("100.00"), "B": D("100.00"), "C": D("100.00"),
                                       "D": D("100.00")}  # fmt: skip
    assert [(s.section, s.possible) for s in score.sections] == [
        ("A", D(30)), ("B", D(30)), ("C", D(25)), ("D", D(15))
    ]  # fmt: skip


def test_all_no_scores_0_00_khong_dat_with_every_star_failed() -> None:
    answers = {c.code: ZERO[c.answer_type] for c in REFERENCE.criteria}
    score = score_inspection(REFERENCE, answers)
    assert (score.earned, score.possible, score.rounded) == (D(0), D(100), D("0.00"))
    assert score.classification == ClassCode.FAIL
    assert score.critical_failures == ("A5", "C1", "C6", "C7")


def test_mixed_levels_with_every_criterion_applicable_score_83_00_tot() -> None:
    # Levels all 3 (¾ of max), yes/no all yes; D1 98 -> 4.5, D2 85 -> 3.5, D3 65 -> 3.
    # A: 8 levels × 2.25 + 3 + 3 = 24/30; B: 19 × ¾ + 11 = 25.25/30; C: 9 × ¾ + 16 = 22.75/25;
    # D: 11/15. Total 83/100.
    score = score_inspection(REFERENCE, all_yes(**LEVELS_AT_3, D1="98", D2="85", D3="65"))
    assert (score.earned, score.possible, score.rounded) == (D(83), D(100), D("83.00"))
    assert sections_rounded(score) == {"A": D("80.00"), "B": D("84.17"), "C": D("91.00"),
                                       "D": D("73.33")}  # fmt: skip
    assert score.classification == ClassCode.GOOD


def test_mixed_levels_with_a7_and_all_d_na_score_85_06_tot() -> None:
    # As above without A7 (2.25 of 3) and D (11 of 15): 69.75/82 = 85.0609… -> 85.06.
    score = score_inspection(REFERENCE, all_yes(**{**LEVELS_AT_3, "A7": NA}, D1=NA, D2=NA, D3=NA))
    assert (score.earned, score.possible) == (D("69.75"), D(82))
    assert score.exact == Fraction(6975, 82)
    assert score.rounded == D("85.06")
    # A 21.75/27 = 80.555…; D has nothing applicable: "—".
    assert sections_rounded(score) == {"A": D("80.56"), "B": D("84.17"), "C": D("91.00"),
                                       "D": None}  # fmt: skip
    assert score.classification == ClassCode.GOOD


def test_na_leaves_both_earned_and_possible() -> None:
    # A1 at level 0 loses 3; A7 N/A removes 3 from both sides: 94/97 = 96.907… -> 96.91.
    score = score_inspection(REFERENCE, all_yes(A1=0, A7=NA))
    assert (score.earned, score.possible, score.rounded) == (D(94), D(97), D("96.91"))
    a7 = next(r for r in score.criteria if r.code == "A7")
    assert (a7.earned, a7.possible, a7.critical_failed) == (None, None, False)
    assert score.sections[0].possible == D(27)
    assert score.classification == ClassCode.EXCELLENT


def test_exactly_90_00_is_xuat_sac() -> None:
    # B1 level 0 (-4), A1 level 0 (-3), C4 level 1 (-3): 90/100; sections 90, 86.67, 88, 100.
    score = score_inspection(REFERENCE, all_yes(B1=0, A1=0, C4=1))
    assert score.rounded == D("90.00")
    assert score.classification == ClassCode.EXCELLENT


def test_89_75_just_under_the_edge_is_tot() -> None:
    # B1 0 (-4), A1 0 (-3), A2 3 (-0.75), C8 3 (-0.5), C4 2 (-2): 89.75/100.
    score = score_inspection(REFERENCE, all_yes(B1=0, A1=0, A2=3, C8=3, C4=2))
    assert score.rounded == D("89.75")
    assert score.classification == ClassCode.GOOD


def test_a_failed_star_item_caps_a_95_at_dat() -> None:
    # A5 "no" (-3) and C8 level 0 (-2): 95/100, but A5 is ★.
    score = score_inspection(REFERENCE, all_yes(A5=False, C8=0))
    assert score.rounded == D("95.00")
    assert score.critical_failures == ("A5",)
    assert score.classification == ClassCode.PASS


def test_a_section_under_70_percent_blocks_xuat_sac_and_falls_to_tot() -> None:
    # D1 90 -> 1.5, D2 80 -> 2, D3 100 -> 4: D = 7.5/15 = 50 %; total 92.5/100.
    score = score_inspection(REFERENCE, all_yes(D1="90", D2="80"))
    assert score.rounded == D("92.50")
    assert sections_rounded(score)["D"] == D("50.00")
    assert score.classification == ClassCode.GOOD


def test_a_section_entirely_na_does_not_block_xuat_sac() -> None:
    # D all N/A; B1 0 (-4), A1 2 (-1.5), C8 0 (-2): 77.5/85 = 91.176… -> 91.18.
    score = score_inspection(REFERENCE, all_yes(B1=0, A1=2, C8=0, D1=NA, D2=NA, D3=NA))
    assert (score.earned, score.possible, score.rounded) == (D("77.5"), D(85), D("91.18"))
    assert sections_rounded(score) == {"A": D("95.00"), "B": D("86.67"), "C": D("92.00"),
                                       "D": None}  # fmt: skip
    assert score.classification == ClassCode.EXCELLENT


def test_an_exact_tie_at_85_625_rounds_half_up_to_85_63() -> None:
    # Possible 80 (A7, B3, D1-D3 N/A). Lost: B1 0 (-4), B4 0 (-4), B10 no (-2), C9 no (-1),
    # C8 3 (-0.5): 68.5/80 = 85.625 exactly. Half-even, and float round(), give 85.62.
    answers = all_yes(A7=NA, B3=NA, D1=NA, D2=NA, D3=NA, B1=0, B4=0, B10=False, C9=False, C8=3)
    score = score_inspection(REFERENCE, answers)
    assert (score.earned, score.possible) == (D("68.5"), D(80))
    assert score.exact == Fraction(685, 8)
    assert score.rounded == D("85.63")
    # B: 18/28 = 64.2857… (blocks nothing below the top class).
    assert sections_rounded(score) == {"A": D("100.00"), "B": D("64.29"), "C": D("94.00"),
                                       "D": None}  # fmt: skip
    assert score.classification == ClassCode.GOOD


def test_unanswered_criteria_are_left_out_of_a_draft_score() -> None:
    # Only A1 (level 4: 3/3) and A5 (yes: 3/3) answered: 6/6, far under the floor of 70.
    score = score_inspection(REFERENCE, {"A1": 4, "A5": True, "A2": None})
    assert (score.earned, score.possible, score.rounded) == (D(6), D(6), D("100.00"))
    assert score.classification is None
    assert not score.enough_basis
    assert sections_rounded(score) == {"A": D("100.00"), "B": None, "C": None, "D": None}


# --- Classification edges, the floor, a rounding edge through a small model ------------------


@pytest.mark.parametrize(
    ("rounded", "expected"),
    [
        ("100.00", ClassCode.EXCELLENT),
        ("90.00", ClassCode.EXCELLENT),
        ("89.99", ClassCode.GOOD),
        ("80.00", ClassCode.GOOD),
        ("79.99", ClassCode.FAIR),
        ("65.00", ClassCode.FAIR),
        ("64.99", ClassCode.PASS),
        ("50.00", ClassCode.PASS),
        ("49.99", ClassCode.FAIL),
        ("0.00", ClassCode.FAIL),
    ],
)
def test_each_class_starts_exactly_at_its_threshold(rounded: str, expected: str) -> None:
    got = classify(
        REFERENCE,
        rounded_score=D(rounded),
        section_scores=[Fraction(100)],
        critical_failed=False,
        applicable_points=D(100),
    )
    assert got == expected


@pytest.mark.parametrize(
    ("rounded", "expected"),
    [("97.00", ClassCode.PASS), ("64.99", ClassCode.PASS), ("49.99", ClassCode.FAIL)],
)
def test_a_failed_star_never_lifts_and_caps_at_dat(rounded: str, expected: str) -> None:
    got = classify(
        REFERENCE,
        rounded_score=D(rounded),
        section_scores=[],
        critical_failed=True,
        applicable_points=D(100),
    )
    assert got == expected


def test_section_minimum_compares_the_exact_section_percentage() -> None:
    # 69.996 % would round to 70.00 but is still under 70 %.
    def top(section: Fraction) -> str | None:
        return classify(REFERENCE, rounded_score=D("95.00"), section_scores=[section, None],
                        critical_failed=False, applicable_points=D(100))  # fmt: skip

    assert top(Fraction(69996, 1000)) == ClassCode.GOOD
    assert top(Fraction(70)) == ClassCode.EXCELLENT


def test_class_is_taken_from_the_rounded_score_89_995_is_xuat_sac() -> None:
    # 179.99 of 200 points = 89.995 % exactly -> 90.00; 179.98/200 = 89.99 %.
    def score(x1: str, x2: str) -> InspectionScore:
        rules = small_rules(yes_no("X1", x1), yes_no("X2", x2))
        return score_inspection(rules, {"X1": True, "X2": False})

    high, low = score("179.99", "20.01"), score("179.98", "20.02")
    assert (high.exact, high.rounded) == (Fraction(89995, 1000), D("90.00"))
    assert high.classification == ClassCode.EXCELLENT
    assert (low.rounded, low.classification) == (D("89.99"), ClassCode.GOOD)


def test_a_small_model_under_the_floor_has_no_class_and_not_enough_basis() -> None:
    rules = small_rules(
        yes_no("X1", "40"), yes_no("X2", "30", na_allowed=True), yes_no("X3", "30", na_allowed=True)
    )
    under = score_inspection(rules, {"X1": True, "X2": NA, "X3": NA})  # 40 applicable
    assert (under.rounded, under.classification, under.enough_basis) == (D("100.00"), None, False)
    at_floor = score_inspection(rules, {"X1": True, "X2": NA, "X3": True})  # exactly 70
    assert (at_floor.rounded, at_floor.classification) == (D("100.00"), ClassCode.EXCELLENT)
    assert at_floor.enough_basis


def test_nothing_applicable_has_no_score_and_no_class() -> None:
    rules = small_rules(yes_no("X1", "5", na_allowed=True), floor="0")
    score = score_inspection(rules, {"X1": NA})
    assert (score.exact, score.rounded, score.classification) == (None, None, None)
    assert not score.enough_basis


# --- Points per criterion --------------------------------------------------------------------


def rule(code: str) -> CriterionRule:
    return next(c for c in REFERENCE.criteria if c.code == code)


@pytest.mark.parametrize(
    ("code", "value", "points"),
    [
        ("D1", "100", "6"), ("D1", "99.9", "4.5"), ("D1", "98", "4.5"), ("D1", "97.9", "3"),
        ("D1", "95", "3"), ("D1", "94.9", "1.5"), ("D1", "90", "1.5"), ("D1", "89.9", "0"),
        ("D1", "0", "0"),
        ("D2", "100", "5"), ("D2", "90", "5"), ("D2", "89.9", "3.5"), ("D2", "85", "3.5"),
        ("D2", "80", "2"), ("D2", "79.9", "0"),
        ("D3", "80", "4"), ("D3", "79.9", "3"), ("D3", "65", "3"), ("D3", "50", "2"),
        ("D3", "30", "1"), ("D3", "29.9", "0"),
    ],
)  # fmt: skip
def test_a_percent_earns_the_highest_band_it_reaches(code: str, value: str, points: str) -> None:
    assert criterion_points(rule(code), D(value)) == D(points)


def test_bands_given_unsorted_still_pick_the_highest_band_reached() -> None:
    shuffled = (Band(D(90), D("1.5")), Band(D(100), D(6)), Band(D(95), D(3)), Band(D(98), D("4.5")))
    d1 = CriterionRule("D1", "D", PCT, D(6), shuffled, na_allowed=True)
    assert [criterion_points(d1, D(v)) for v in ("100", "98.5", "96", "91", "10")] == [
        D(6), D("4.5"), D(3), D("1.5"), D(0)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "level", "points"),
    [("A1", 1, "0.75"), ("A1", 3, "2.25"), ("B1", 3, "3"), ("C8", 3, "1.5"), ("C8", 0, "0")],
)
def test_a_level_earns_max_times_level_over_4(code: str, level: int, points: str) -> None:
    assert criterion_points(rule(code), level) == D(points)


def test_yes_earns_max_no_earns_zero_na_and_blank_earn_nothing() -> None:
    assert criterion_points(rule("C1"), True) == D(4)
    assert criterion_points(rule("C1"), False) == D(0)
    assert criterion_points(rule("B3"), NA) is None
    assert criterion_points(rule("C1"), None) is None


def test_a_star_percent_criterion_fails_at_zero_points() -> None:
    d9 = CriterionRule("D9", "D", PCT, D(4), (Band(D(50), D(4)),), critical=True)
    rules = small_rules(yes_no("X1", "96"), d9)
    score = score_inspection(rules, {"X1": True, "D9": D("49.9")})
    assert score.critical_failures == ("D9",)
    assert (score.rounded, score.classification) == (D("96.00"), ClassCode.PASS)


# --- Typed answers only ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("D1", "98"), ("D1", 98), ("D1", D("100.1")), ("A1", True), ("A1", 5), ("A1", "3"),
        ("A5", 1), ("A5", "yes"), ("A5", NA), ("C1", NA),
    ],
)  # fmt: skip
def test_points_refuse_a_value_that_is_not_a_typed_answer_of_the_criterion(
    code: str, value: AnswerValue
) -> None:
    # Reading what people and clients send is inspections/answers.py's job, not scoring's.
    with pytest.raises(ValueError, match=code):
        criterion_points(rule(code), value)


def test_the_levels_are_0_to_4() -> None:
    assert LEVELS == (0, 1, 2, 3, 4)


# --- round_half_up ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 8), "0.13"),  # 0.125: banker's rounding gives 0.12
        (Fraction(2675, 1000), "2.68"),  # float round(2.675, 2) gives 2.67
        (D("2.675"), "2.68"),
        (Fraction(2, 3), "0.67"),
        (Fraction(200, 3), "66.67"),
        (Fraction(124999, 1000000), "0.12"),  # rounding to 3 places first would give 0.13
        (Fraction(1, 200), "0.01"),
        (Fraction(499, 100000), "0.00"),
        (Fraction(-1, 8), "-0.13"),  # ties away from zero, like Decimal's ROUND_HALF_UP
        (Fraction(685, 8), "85.63"),
        (Fraction(100), "100.00"),
    ],
)
def test_round_half_up_is_exact(value: Fraction | Decimal, expected: str) -> None:
    got = round_half_up(value)
    assert got == D(expected)
    assert got.as_tuple().exponent == -2


# --- Unit results (rule 6) -------------------------------------------------------------------


def test_a_unit_means_the_exact_scores_and_rounds_once() -> None:
    # 6975/82 (85.0609…, shown 85.06) and 685/8 (85.625, shown 85.63). Exact mean
    # (27900 + 28085)/656 = 55985/656 = 85.3429… -> 85.34; the rounded ones' mean 85.345 -> 85.35.
    first = score_inspection(REFERENCE, all_yes(**{**LEVELS_AT_3, "A7": NA}, D1=NA, D2=NA, D3=NA))
    second = score_inspection(
        REFERENCE,
        all_yes(A7=NA, B3=NA, D1=NA, D2=NA, D3=NA, B1=0, B4=0, B10=False, C9=False, C8=3),
    )
    unit = unit_score(REFERENCE, [first, second])
    assert unit.exact == Fraction(55985, 656)
    assert unit.rounded == D("85.34")
    # A (2175/27 + 100)/2 = 90.277…; B (505/6 + 450/7)/2 = 6235/84 = 74.226…; C (91 + 94)/2.
    assert unit.sections == {"A": D("90.28"), "B": D("74.23"), "C": D("92.50"), "D": None}
    assert (unit.classification, unit.critical_failed, unit.enough_basis) == ("tot", False, True)
    assert unit.inspection_count == 2


def test_a_unit_is_capped_when_any_inspection_failed_a_star() -> None:
    # 95.00 with A5 failed and 100.00: mean 97.50, capped at Đạt.
    capped = score_inspection(REFERENCE, all_yes(A5=False, C8=0))
    clean = score_inspection(REFERENCE, all_yes())
    unit = unit_score(REFERENCE, [capped, clean])
    assert (unit.rounded, unit.classification, unit.critical_failed) == (D("97.50"), "dat", True)


def test_a_unit_is_classified_when_at_least_one_inspection_has_enough_basis() -> None:
    rules = small_rules(
        yes_no("X1", "40"), yes_no("X2", "30", na_allowed=True), yes_no("X3", "30", na_allowed=True)
    )
    thin = score_inspection(rules, {"X1": True, "X2": NA, "X3": NA})  # 40/40, no basis
    full = score_inspection(rules, {"X1": False, "X2": True, "X3": True})  # 60/100
    assert unit_score(rules, [thin]).classification is None
    unit = unit_score(rules, [thin, full])  # (100 + 60) / 2
    assert (unit.rounded, unit.classification, unit.enough_basis) == (D("80.00"), "tot", True)


def test_a_unit_without_inspections_has_no_score() -> None:
    unit = unit_score(REFERENCE, [])
    assert (unit.exact, unit.rounded, unit.classification, unit.inspection_count) == (
        None, None, None, 0
    )  # fmt: skip
    assert unit.sections == {"A": None, "B": None, "C": None, "D": None}


# --- Ranking (rule 7) ------------------------------------------------------------------------


def ranks(entries: list[RankingEntry]) -> list[tuple[int, int | None]]:
    return [(r.unit_id, r.rank) for r in rank_units(CLASS_ORDER, entries)]


def test_a_star_capped_97_ranks_below_a_91_tot() -> None:
    entries = [RankingEntry(1, "dat", D("97.00")), RankingEntry(2, "tot", D("91.00"))]
    assert ranks(entries) == [(2, 1), (1, 2)]


def test_equal_class_and_score_share_a_rank_and_the_next_rank_skips() -> None:
    entries = [
        RankingEntry(4, "tot", D("80.00"), "d"),
        RankingEntry(2, "tot", D("85.50"), "c"),
        RankingEntry(3, "tot", D("85.5"), "a"),
        RankingEntry(1, "xuat_sac", D("92.00"), "z"),
    ]
    assert ranks(entries) == [(1, 1), (3, 2), (2, 2), (4, 4)]  # the tie listed by order_key


def test_unranked_units_come_last_ordered_by_their_key() -> None:
    entries = [
        RankingEntry(1, None, D("99.00"), "Phường Ô Chợ Dừa"),
        RankingEntry(2, "khong_dat", D("10.00"), "x"),
        RankingEntry(3, None, None, "Phường Ba Đình"),
        RankingEntry(4, "kha", D("70.00"), "y"),
    ]
    assert ranks(entries) == [(4, 1), (2, 2), (3, None), (1, None)]


def test_an_unknown_class_is_refused() -> None:
    with pytest.raises(ValueError, match="khac"):
        rank_units(CLASS_ORDER, [RankingEntry(1, "khac", D(1))])


def test_movement_is_previous_rank_minus_current_and_none_when_new() -> None:
    assert movement(2, 5) == 3
    assert movement(5, 2) == -3
    assert movement(3, 3) == 0
    assert movement(1, None) is None  # "mới"
    assert movement(None, 4) is None  # unranked now


# --- Properties ------------------------------------------------------------------------------


def answer_values(
    criterion: CriterionRule, *, blank: bool = True
) -> st.SearchStrategy[AnswerValue]:
    base: st.SearchStrategy[AnswerValue]
    if criterion.answer_type == YN:
        base = st.booleans()
    elif criterion.answer_type == LEVEL:
        base = st.integers(0, 4)
    else:
        base = st.decimals(min_value=0, max_value=100, places=1)
    options: list[st.SearchStrategy[AnswerValue]] = [base]
    if criterion.na_allowed:
        options.append(st.just(NA))
    if blank:
        options.append(st.none())
    return st.one_of(options)


def answer_sets(
    rules: ModelRules, *, blank: bool = True
) -> st.SearchStrategy[dict[str, AnswerValue]]:
    return st.fixed_dictionaries({c.code: answer_values(c, blank=blank) for c in rules.criteria})


@st.composite
def small_models(draw: st.DrawFn) -> ModelRules:
    criteria = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(AnswerType))
        top = draw(st.decimals(min_value=D("0.5"), max_value=20, places=2))
        bands: tuple[Band, ...] = ()
        if kind == PCT:
            # Publishing keeps points rising with the minimum; the order given may be any.
            size = draw(st.integers(0, 4))
            minima = draw(st.lists(st.decimals(0, 100, places=1), min_size=size, max_size=size,
                                   unique=True))  # fmt: skip
            points = draw(st.lists(st.decimals(0, top, places=2), min_size=size, max_size=size))
            paired = zip(sorted(minima), sorted(points), strict=True)
            bands = tuple(draw(st.permutations([Band(m, p) for m, p in paired])))
        na = draw(st.booleans())
        critical = not na and draw(st.booleans())  # publishing refuses a ★ that allows N/A
        section = draw(st.sampled_from("PQR"))
        criteria.append(CriterionRule(f"K{i}", section, kind, top, bands, critical, na))
    floor = draw(st.sampled_from([D(0), D(5), D(70)]))
    return ModelRules(tuple(criteria), REFERENCE_CLASSES, ClassCode.PASS, D(70), floor)


models = st.one_of(st.just(REFERENCE), small_models())


@st.composite
def scored_answers(
    draw: st.DrawFn, *, blank: bool = True
) -> tuple[ModelRules, dict[str, AnswerValue]]:
    rules = draw(models)
    return rules, draw(answer_sets(rules, blank=blank))


def class_index(code: str | None) -> int:
    return len(CLASS_ORDER) if code is None else CLASS_ORDER.index(code)


@given(scored_answers())
def test_every_score_lies_between_0_and_100(
    case: tuple[ModelRules, dict[str, AnswerValue]],
) -> None:
    rules, answers = case
    score = score_inspection(rules, answers)
    for exact in [score.exact, *(s.exact for s in score.sections)]:
        assert exact is None or 0 <= exact <= 100
    assert (score.exact is None) == (score.possible == 0)


@given(scored_answers())
def test_rounded_is_always_round_half_up_of_exact(
    case: tuple[ModelRules, dict[str, AnswerValue]],
) -> None:
    score = score_inspection(*case)
    for exact, rounded in [
        (score.exact, score.rounded),
        *((s.exact, s.rounded) for s in score.sections),
    ]:
        assert rounded == (None if exact is None else round_half_up(exact))


@given(scored_answers(), st.data())
def test_raising_one_answer_never_lowers_the_score_or_the_class(
    case: tuple[ModelRules, dict[str, AnswerValue]], data: st.DataObject
) -> None:
    rules, answers = case
    # `is` for booleans: True == 1 would hide level 1 from an `in` test.
    raisable = [
        c
        for c in rules.criteria
        if answers[c.code] is False
        or (c.answer_type != YN and answers[c.code] not in (None, NA, 4, D(100)))
    ]
    assume(raisable)
    criterion = data.draw(st.sampled_from(raisable))
    old = answers[criterion.code]
    assert isinstance(old, int | Decimal)
    new: AnswerValue
    if criterion.answer_type == YN:
        new = True
    elif criterion.answer_type == LEVEL:
        new = data.draw(st.integers(int(old) + 1, 4))
    else:
        new = data.draw(st.decimals(min_value=D(old) + D("0.1"), max_value=100, places=1))
    before = score_inspection(rules, answers)
    after = score_inspection(rules, {**answers, criterion.code: new})
    assert after.possible == before.possible
    if before.exact is not None and after.exact is not None:
        assert after.exact >= before.exact
    assert class_index(after.classification) <= class_index(before.classification)
    assert set(after.critical_failures) <= set(before.critical_failures)


@given(scored_answers(), st.data())
def test_turning_a_full_points_criterion_into_na_never_raises_the_score(
    case: tuple[ModelRules, dict[str, AnswerValue]], data: st.DataObject
) -> None:
    rules, answers = case
    optional = [c for c in rules.criteria if c.na_allowed]
    assume(optional)
    criterion = data.draw(st.sampled_from(optional))
    full = {**answers, criterion.code: FULL[criterion.answer_type]}
    assume(criterion_points(criterion, full[criterion.code]) == criterion.max_points)
    before = score_inspection(rules, full)
    after = score_inspection(rules, {**full, criterion.code: NA})
    assert before.exact is not None
    assert after.exact is None or after.exact <= before.exact


@given(scored_answers(), st.randoms(use_true_random=False))
def test_the_order_of_answers_never_matters(
    case: tuple[ModelRules, dict[str, AnswerValue]], rng: random.Random
) -> None:
    rules, answers = case
    items = list(answers.items())
    rng.shuffle(items)
    assert score_inspection(rules, dict(items)) == score_inspection(rules, answers)


@given(scored_answers())
def test_a_failed_star_never_classifies_better_than_the_cap(
    case: tuple[ModelRules, dict[str, AnswerValue]],
) -> None:
    rules, answers = case
    score = score_inspection(rules, answers)
    if score.critical_failures and score.classification is not None:
        assert class_index(score.classification) >= class_index(rules.critical_cap)


@given(scored_answers())
def test_a_unit_with_one_inspection_scores_as_that_inspection(
    case: tuple[ModelRules, dict[str, AnswerValue]],
) -> None:
    rules, answers = case
    score = score_inspection(rules, answers)
    unit = unit_score(rules, [score])
    assert (unit.exact, unit.rounded) == (score.exact, score.rounded)
    assert unit.classification == score.classification
    assert unit.critical_failed == bool(score.critical_failures)
    assert unit.enough_basis == score.enough_basis
    assert unit.sections == {s.section: s.rounded for s in score.sections}


@given(st.lists(answer_sets(REFERENCE, blank=False), min_size=1, max_size=4))
def test_a_unit_score_lies_between_its_lowest_and_highest_inspection(
    answer_lists: list[dict[str, AnswerValue]],
) -> None:
    scores = [score_inspection(REFERENCE, answers) for answers in answer_lists]
    unit = unit_score(REFERENCE, scores)
    exacts = [s.exact for s in scores if s.exact is not None]
    assert unit.exact is not None
    assert min(exacts) <= unit.exact <= max(exacts)
    assert unit.rounded == round_half_up(unit.exact)


ranking_entries = st.lists(
    st.tuples(
        st.sampled_from([*CLASS_ORDER, None]),
        st.sampled_from([D("91.00"), D("91.0"), D("85.50"), D("50.00"), D(0), None]),
        st.text(alphabet="aăâbđ", max_size=3),
    ),
    max_size=30,
).map(lambda rows: [RankingEntry(i, c, s, k) for i, (c, s, k) in enumerate(rows)])


def better(a: RankingEntry, b: RankingEntry) -> bool:
    assert a.rounded_score is not None
    assert b.rounded_score is not None
    ka, kb = class_index(a.classification), class_index(b.classification)
    return ka < kb or (ka == kb and a.rounded_score > b.rounded_score)


@given(ranking_entries, st.randoms(use_true_random=False))
def test_rank_is_a_function_of_class_and_score_alone(
    entries: list[RankingEntry], rng: random.Random
) -> None:
    shuffled = entries[:]
    rng.shuffle(shuffled)
    # New ids and keys must not change anyone's rank either.
    renamed = [
        RankingEntry(e.unit_id + 1000, e.classification, e.rounded_score, "") for e in shuffled
    ]
    first = {r.unit_id: r.rank for r in rank_units(CLASS_ORDER, entries)}
    second = {r.unit_id: r.rank for r in rank_units(CLASS_ORDER, shuffled)}
    third = {r.unit_id - 1000: r.rank for r in rank_units(CLASS_ORDER, renamed)}
    assert first == second == third
    by_standing: dict[tuple[str | None, Decimal | None], set[int | None]] = {}
    for e in entries:
        by_standing.setdefault((e.classification, e.rounded_score), set()).add(first[e.unit_id])
    assert all(len(r) == 1 for r in by_standing.values())


@given(ranking_entries)
def test_rank_is_one_plus_the_number_of_strictly_better_units(entries: list[RankingEntry]) -> None:
    result = rank_units(CLASS_ORDER, entries)
    rankable = [e for e in entries if e.classification is not None and e.rounded_score is not None]
    by_id = {e.unit_id: e for e in entries}
    for r in result:
        e = by_id[r.unit_id]
        if e in rankable:
            assert r.rank == 1 + sum(better(o, e) for o in rankable)
        else:
            assert r.rank is None
    ranked_part = [r.rank or 0 for r in result[: len(rankable)]]
    assert ranked_part == sorted(ranked_part)  # listed best first, unranked after
    unranked_keys = [by_id[r.unit_id].order_key for r in result[len(rankable) :]]
    assert unranked_keys == sorted(unranked_keys)


@given(st.integers(1, 50), st.one_of(st.none(), st.integers(1, 50)))
def test_movement_undoes_itself(current: int, previous: int | None) -> None:
    moved = movement(current, previous)
    if previous is None:
        assert moved is None
    else:
        assert moved is not None
        assert current + moved == previous


@given(st.fractions(min_value=0, max_value=10**6))
def test_round_half_up_is_within_half_a_cent_and_ties_go_up(value: Fraction) -> None:
    rounded = round_half_up(value)
    assert rounded.as_tuple().exponent == -2
    assert -Fraction(1, 200) < Fraction(rounded) - value <= Fraction(1, 200)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6))
def test_round_half_up_on_decimals_agrees_with_decimal_quantize(value: Decimal) -> None:
    with localcontext(prec=50):
        assert round_half_up(value) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@given(st.data())
def test_points_stay_within_the_maximum(data: st.DataObject) -> None:
    criterion = data.draw(st.sampled_from(REFERENCE.criteria))
    points = criterion_points(criterion, data.draw(answer_values(criterion)))
    assert points is None or 0 <= points <= criterion.max_points
