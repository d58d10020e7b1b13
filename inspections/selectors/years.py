"""The year's result per group (live until published, then as stored) and the commendation
proposals, by the rules of the year's policy (docs/scoring.md, "The year's result")."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections import scoring, year_scoring
from inspections.errors import DomainError, Problem
from inspections.models import (
    ClassificationLevel,
    Commitment,
    CorrectiveAction,
    Group,
    ModelVersion,
    OrgUnit,
    ProposalDecision,
    Round,
    UnitResult,
    YearPolicy,
    YearResult,
    display_name,
)
from inspections.models.catalogue import in_language

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Corrective actions that are settled for the year's proposals.
SETTLED_ACTIONS = (CorrectiveAction.Status.VERIFIED, CorrectiveAction.Status.SUPERSEDED)


def require_year(year: int) -> int:
    """A year the product knows how to hold; any other is "not found" (a 404 at both doors)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("Không có năm %(year)s.") % {"year": year},
            problem=Problem.NOT_FOUND,
            code="year_not_found",
        )
    return year


def known_years() -> list[int]:
    """Years with a round or a policy, newest first (two queries)."""
    years = {d.year for d in Round.objects.values_list("ends_on", flat=True).distinct()}
    years |= set(YearPolicy.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)


def year_rounds(year: int, *, published_only: bool = True) -> list[Round]:
    """The rounds that end in the year, oldest first; the published ones make its result."""
    rounds = Round.objects.filter(ends_on__year=year).select_related("version")
    if published_only:
        rounds = rounds.filter(status=Round.Status.PUBLISHED)
    return list(rounds.order_by("ends_on", "pk"))


def policy_default(year: int) -> YearPolicy:
    """The reference policy of a year, unsaved: the classes and ★ cap of the latest edition
    its rounds use (or the latest published edition), two rounds at least, Xuất sắc proposed."""
    version = (
        ModelVersion.objects.filter(rounds__ends_on__year=year).order_by("-rounds__ends_on").first()
        or ModelVersion.objects.filter(status=ModelVersion.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    levels = (
        list(ClassificationLevel.objects.filter(version=version).order_by("order"))
        if version is not None
        else []
    )
    classes = [
        {
            "code": level.code,
            "name": level.name,
            "name_en": level.name_en,
            "minimum_score": str(level.minimum_score),
        }
        for level in levels
    ]
    return YearPolicy(
        year=year,
        minimum_rounds=2,
        classes=classes,
        critical_cap=version.critical_cap if version is not None else "",
        propose_classes=[classes[0]["code"]] if classes else [],
    )


def year_policy(year: int) -> YearPolicy:
    """The stored policy of the year, or its reference default (unsaved) while none is."""
    require_year(year)
    stored = YearPolicy.objects.filter(year=year).first()
    return stored if stored is not None else policy_default(year)


def year_rules(policy: YearPolicy) -> year_scoring.YearRules:
    return year_scoring.YearRules(
        classes=tuple(
            year_scoring.YearClass(str(c["code"]), Decimal(str(c["minimum_score"])))
            for c in policy.classes
        ),
        minimum_rounds=policy.minimum_rounds,
        critical_cap=policy.critical_cap,
    )


def proposal_rules(policy: YearPolicy) -> year_scoring.ProposalRules:
    return year_scoring.ProposalRules(
        classes=tuple(str(code) for code in policy.propose_classes),
        no_critical_failure=policy.require_no_critical,
        actions_verified=policy.require_actions_verified,
        commitment_filed=policy.require_commitment,
    )


def class_names(policy: YearPolicy) -> dict[str, str]:
    """The policy's class codes → their names in the reader's language."""
    return {
        str(c["code"]): in_language(str(c.get("name", "")), str(c.get("name_en", "")))
        for c in policy.classes
    }


@dataclass
class YearRow:
    unit_id: int
    unit_code: str
    unit_name: str
    rank: int | None
    classification: str
    classification_name: str
    score: Decimal | None
    round_count: int
    # The rounded score of each of the year's published rounds (None: not counted), in order.
    round_scores: list[Decimal | None]
    critical_failed: bool
    capped: bool
    unranked_reason: str  # year_scoring.NO_ROUNDS, TOO_FEW_ROUNDS, UNCLASSIFIED; "" when ranked
    previous_rank: int | None
    movement: int | None  # last year's rank minus this year's; None: "mới" or unranked
    unranked_note: str = ""
    cap_note: str = ""
    exact: Decimal | None = None  # the unrounded mean, to 15 places, as stored on publishing


@dataclass
class YearGroup:
    group_id: int
    group_code: str
    group_name: str
    rows: list[YearRow] = field(default_factory=list)


@dataclass
class YearRanking:
    year: int
    policy: YearPolicy
    rounds: list[Round]
    groups: list[YearGroup]

    @property
    def published(self) -> bool:
        return self.policy.is_published

    @property
    def rows(self) -> Iterable[tuple[YearGroup, YearRow]]:
        return ((group, row) for group in self.groups for row in group.rows)


def _notes(row: YearRow, policy: YearPolicy) -> YearRow:
    if row.rank is None:
        row.unranked_note = {
            year_scoring.NO_ROUNDS: _("Không có kết quả trong các đợt đã công bố của năm"),
            year_scoring.TOO_FEW_ROUNDS: _(
                "Có kết quả ở %(count)d/%(minimum)d đợt cần có: chưa đủ để xếp loại năm"
            )
            % {"count": row.round_count, "minimum": policy.minimum_rounds},
            year_scoring.UNCLASSIFIED: _("Điểm dưới mức của mọi xếp loại năm"),
        }.get(row.unranked_reason, "")
    if row.capped:
        name = class_names(policy).get(policy.critical_cap, policy.critical_cap)
        row.cap_note = _("giới hạn ở %(class)s do có tiêu chí ★ không đạt") % {"class": name}
    return row


def year_ranking(*, year: int, group: Group | None = None) -> YearRanking:
    """The year's ranking per group: as published, or live from the published rounds."""
    policy = year_policy(year)
    rounds = year_rounds(year)
    if policy.is_published:
        groups = _published_groups(policy, rounds, group)
    else:
        groups = _live_groups(policy, rounds, group)
    return YearRanking(year=year, policy=policy, rounds=rounds, groups=groups)


def _stored(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("1e-15"))


def _group_names(wanted: Iterable[int]) -> dict[int, tuple[str, str]]:
    return {
        g.pk: (g.code, in_language(g.name, g.name_en))
        for g in Group.objects.filter(pk__in=set(wanted))
    }


def _previous_ranks(year: int) -> dict[tuple[int, int], int]:
    """(unit, group) → rank in last year's published result."""
    rows = YearResult.objects.filter(
        policy__year=year - 1, policy__status=YearPolicy.Status.PUBLISHED, rank__isnull=False
    ).values_list("unit_id", "group_id", "rank")
    return {(unit_id, group_id): rank for unit_id, group_id, rank in rows if rank is not None}


def _live_groups(policy: YearPolicy, rounds: list[Round], only: Group | None) -> list[YearGroup]:
    rules = year_rules(policy)
    order = {r.pk: i for i, r in enumerate(rounds)}
    per_unit: dict[int, list[year_scoring.RoundScore]] = {}
    shown: dict[int, list[Decimal | None]] = {}
    group_of: dict[int, int] = {}
    results = (
        UnitResult.objects.filter(round__in=rounds)
        .order_by("round__ends_on", "round_id")
        .values_list(
            "unit_id", "round_id", "group_id", "score_exact", "score", "enough_basis",
            "critical_failed",
        )
    )  # fmt: skip
    for unit_id, round_id, group_id, exact, score, basis, failed in results:
        if group_id is not None:
            group_of[unit_id] = group_id  # the group of its latest published round
        if exact is None or score is None or not basis:
            continue
        per_unit.setdefault(unit_id, []).append(
            year_scoring.RoundScore(round_id, Fraction(exact), bool(failed))
        )
        shown.setdefault(unit_id, [None] * len(rounds))[order[round_id]] = score
    year_start = datetime.date(policy.year, 1, 1)
    year_end = datetime.date(policy.year, 12, 31)
    live = Q(group__isnull=False, merged_into__isnull=True, valid_from__lte=year_end) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=year_start)
    )
    units = list(
        OrgUnit.objects.filter(live | Q(pk__in=list(group_of))).values(
            "id", "code", "name", "sort_key", "group_id"
        )
    )
    for unit in units:
        unit["group_id"] = group_of.get(unit["id"], unit["group_id"])
    if only is not None:
        units = [u for u in units if u["group_id"] == only.pk]
    names = _group_names([only.pk] if only is not None else [u["group_id"] for u in units])
    previous = _previous_ranks(policy.year)
    class_order = [c.code for c in rules.classes]
    labels = class_names(policy)
    groups = []
    for group_id, (code, name) in sorted(names.items(), key=lambda item: item[1][1]):
        members = {u["id"]: u for u in units if u["group_id"] == group_id}
        scores = {u: year_scoring.year_score(rules, per_unit.get(u, [])) for u in members}
        entries = [
            scoring.RankingEntry(u, scores[u].classification, scores[u].rounded, m["sort_key"])
            for u, m in members.items()
        ]
        ranking = YearGroup(group_id, code, name)
        for ranked in scoring.rank_units(class_order, entries):
            unit, result = members[ranked.unit_id], scores[ranked.unit_id]
            before = previous.get((ranked.unit_id, group_id))
            row = YearRow(
                unit_id=ranked.unit_id,
                unit_code=unit["code"],
                unit_name=unit["name"],
                rank=ranked.rank,
                classification=result.classification or "",
                classification_name=labels.get(result.classification or "", ""),
                score=result.rounded,
                round_count=result.round_count,
                round_scores=shown.get(ranked.unit_id, [None] * len(rounds)),
                critical_failed=result.critical_failed,
                capped=result.capped,
                unranked_reason="" if ranked.rank is not None else result.unclassified_reason,
                previous_rank=before,
                movement=scoring.movement(ranked.rank, before),
                exact=_stored(result.exact),
            )
            ranking.rows.append(_notes(row, policy))
        if ranking.rows or only is not None:
            groups.append(ranking)
    return groups


def _published_groups(
    policy: YearPolicy, rounds: list[Round], only: Group | None
) -> list[YearGroup]:
    stored = YearResult.objects.filter(policy=policy).select_related("unit")
    if only is not None:
        stored = stored.filter(group=only)
    results = list(stored)
    names = _group_names([only.pk] if only is not None else [r.group_id for r in results])
    labels = class_names(policy)
    groups = {
        pk: YearGroup(pk, code, name)
        for pk, (code, name) in sorted(names.items(), key=lambda item: item[1][1])
    }
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.sort_key, r.unit_id))
    for result in results:
        kept: dict[str, Any] = result.rounds or {}
        row = YearRow(
            unit_id=result.unit_id,
            unit_code=result.unit.code,
            unit_name=result.unit.name,
            rank=result.rank,
            classification=result.classification,
            classification_name=labels.get(result.classification, ""),
            score=result.score,
            round_count=result.round_count,
            round_scores=[
                Decimal(kept[str(r.pk)]) if kept.get(str(r.pk)) is not None else None
                for r in rounds
            ],
            critical_failed=result.critical_failed,
            capped=result.capped,
            unranked_reason=result.unranked_reason,
            previous_rank=result.previous_rank,
            movement=scoring.movement(result.rank, result.previous_rank),
            exact=result.score_exact,
        )
        groups[result.group_id].rows.append(_notes(row, policy))
    return [g for g in groups.values() if g.rows or only is not None]


# --- Commendation proposals ----------------------------------------------------------------


@dataclass
class ProposalRow:
    unit_id: int
    unit_code: str
    unit_name: str
    group_name: str
    rank: int | None
    classification_name: str
    score: Decimal | None
    by_criteria: bool  # what the policy's criteria say
    shortfalls: tuple[str, ...]
    proposed: bool  # the final word: Internal Affairs' decision when there is one
    reasons: list[str]
    decision: bool | None = None  # Internal Affairs added (True) or removed (False) the unit
    decision_reason: str = ""
    decided_by: str = ""
    decided_at: datetime.datetime | None = None


@dataclass
class YearProposals:
    year: int
    policy: YearPolicy
    rows: list[ProposalRow]

    @property
    def proposed(self) -> list[ProposalRow]:
        return [row for row in self.rows if row.proposed]

    @property
    def not_proposed(self) -> list[ProposalRow]:
        return [row for row in self.rows if not row.proposed]

    @property
    def published(self) -> bool:
        return self.policy.is_published


def criteria_text(policy: YearPolicy) -> list[str]:
    """The policy's proposal criteria in words, for pages and documents."""
    names = class_names(policy)
    wanted = ", ".join(names.get(str(c), str(c)) for c in policy.propose_classes) or "—"
    lines = [_("Xếp loại năm: %(classes)s") % {"classes": wanted}]
    if policy.require_no_critical:
        lines.append(_("Không có tiêu chí ★ nào không đạt trong năm"))
    if policy.require_actions_verified:
        lines.append(_("Mọi yêu cầu khắc phục của năm đã được xác nhận"))
    if policy.require_commitment:
        lines.append(_("Đã nộp bản cam kết năm %(year)s") % {"year": policy.year})
    return lines


def _shortfall_texts(
    shortfalls: Iterable[str], row: YearRow, unverified: int, policy: YearPolicy
) -> list[str]:
    names = class_names(policy)
    wanted = ", ".join(names.get(str(c), str(c)) for c in policy.propose_classes) or "—"
    texts = []
    for missed in shortfalls:
        if missed == year_scoring.CLASS and row.classification:
            texts.append(
                _("Xếp loại năm %(class)s (cần %(wanted)s)")
                % {"class": row.classification_name, "wanted": wanted}
            )
        elif missed == year_scoring.CLASS:
            texts.append(_("Chưa có xếp loại năm: %(why)s") % {"why": row.unranked_note.lower()})
        elif missed == year_scoring.CRITICAL:
            texts.append(_("Có tiêu chí ★ không đạt trong năm"))
        elif missed == year_scoring.ACTIONS:
            texts.append(
                ngettext(
                    "Còn %(n)d yêu cầu khắc phục chưa được xác nhận",
                    "Còn %(n)d yêu cầu khắc phục chưa được xác nhận",
                    unverified,
                )
                % {"n": unverified}
            )
        elif missed == year_scoring.COMMITMENT:
            texts.append(_("Chưa nộp bản cam kết năm %(year)s") % {"year": policy.year})
    return texts


def year_proposals(*, year: int) -> YearProposals:
    """Every unit of the year's ranking, proposed or not, with the reason for each."""
    ranking = year_ranking(year=year)
    policy = ranking.policy
    rules = proposal_rules(policy)
    unverified = dict(
        CorrectiveAction.objects.filter(inspection__round__ends_on__year=year)
        .exclude(status__in=SETTLED_ACTIONS)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    signed = set(Commitment.objects.filter(year=year).values_list("unit_id", flat=True))
    decisions = {
        d.unit_id: d
        for d in ProposalDecision.objects.filter(year=year).select_related("decided_by__profile")
    }
    rows = []
    for group, row in ranking.rows:
        facts = year_scoring.ProposalFacts(
            classification=row.classification or None,
            critical_failed=row.critical_failed,
            unverified_actions=unverified.get(row.unit_id, 0),
            commitment_filed=row.unit_id in signed,
        )
        shortfalls = year_scoring.proposal_shortfalls(rules, facts)
        reasons = _shortfall_texts(shortfalls, row, facts.unverified_actions, policy)
        if not shortfalls:
            reasons = [_("Đạt mọi tiêu chí đề nghị khen thưởng")]
        proposal = ProposalRow(
            unit_id=row.unit_id,
            unit_code=row.unit_code,
            unit_name=row.unit_name,
            group_name=group.group_name,
            rank=row.rank,
            classification_name=row.classification_name,
            score=row.score,
            by_criteria=not shortfalls,
            shortfalls=shortfalls,
            proposed=not shortfalls,
            reasons=reasons,
        )
        decision = decisions.get(row.unit_id)
        if decision is not None:
            proposal.decision = decision.proposed
            proposal.proposed = decision.proposed
            proposal.decision_reason = decision.reason
            proposal.decided_by = display_name(decision.decided_by)
            proposal.decided_at = decision.decided_at
            said = (
                _("Phòng Nội vụ bổ sung vào danh sách: %(reason)s")
                if decision.proposed
                else _("Phòng Nội vụ đưa ra khỏi danh sách: %(reason)s")
            )
            proposal.reasons = [said % {"reason": decision.reason}, *reasons]
        rows.append(proposal)
    return YearProposals(year=year, policy=policy, rows=rows)
