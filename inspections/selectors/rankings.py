"""Rankings of a round per group (rule 7), live or from the published snapshot."""

from __future__ import annotations

import gc
import json
import operator
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Rank
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from inspections.models import (
    ClassificationLevel,
    Group,
    Inspection,
    OrgUnit,
    RankingSnapshot,
    RankingSnapshotRow,
    Round,
)
from inspections.models.catalogue import in_language


def cap_note(class_name: str, codes: Sequence[str]) -> str:
    """ "giới hạn ở Đạt do A5 không đạt": why a ★ failure holds a unit at the cap."""
    if not codes:
        return ""
    return _("giới hạn ở %(class)s do %(codes)s không đạt") % {
        "class": class_name,
        "codes": ", ".join(codes),
    }


def unranked_note(reason: str) -> str:
    return {
        "no_result": _("Chưa có phiếu kiểm tra được duyệt"),
        "no_basis": _("Quá ít tiêu chí áp dụng để xếp loại"),
        "unclassified": _("Điểm dưới mức của mọi xếp loại"),
    }.get(reason, "")


def provisional_note(awaiting: int) -> str:
    if not awaiting:
        return _("Tạm tính: còn phiếu kiểm tra chưa được duyệt")
    return ngettext(
        "Tạm tính: còn %(n)d phiếu kiểm tra chưa được duyệt",
        "Tạm tính: còn %(n)d phiếu kiểm tra chưa được duyệt",
        awaiting,
    ) % {"n": awaiting}


@dataclass(slots=True)
class RankingRow:
    unit_id: int
    unit_code: str
    unit_name: str
    rank: int | None
    classification: str
    classification_name: str
    score: Decimal | None
    provisional: bool
    previous_rank: int | None
    movement: int | None  # previous rank minus this rank; None = "mới" (new) or unranked
    # "Họ và tên" of the inspectors whose approved inspections count, in Vietnamese order.
    # Read-only sequences: most rows share one empty tuple (50,000 lists fewer to make and
    # for the garbage collector to walk).
    inspectors: Sequence[str] = ()
    # The ★ criteria that lowered the class to the cap, as the unit result stored them.
    capped_by: Sequence[str] = ()
    # Why a row has no rank: "no_result" (no approved inspection), "no_basis" (too little
    # applies to classify) or "unclassified" (below every class); "" when ranked.
    unranked_reason: str = ""
    # Official inspections of the unit not yet approved: why a row is provisional.
    awaiting: int = 0

    @property
    def cap_note(self) -> str:
        return cap_note(self.classification_name or self.classification, self.capped_by)

    @property
    def unranked_note(self) -> str:
        return unranked_note(self.unranked_reason) if self.rank is None else ""

    @property
    def provisional_note(self) -> str:
        return provisional_note(self.awaiting) if self.provisional else ""

    def as_json(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict, which deep-copies: 50,000 rows in an export.
        return {
            "unit_id": self.unit_id,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "rank": self.rank,
            "classification": self.classification,
            "classification_name": self.classification_name,
            "score": str(self.score) if self.score is not None else None,
            "provisional": self.provisional,
            "previous_rank": self.previous_rank,
            "movement": self.movement,
            "inspectors": list(self.inspectors),
            "capped_by": list(self.capped_by),
            "unranked_reason": self.unranked_reason,
            "awaiting": self.awaiting,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RankingRow:
        score = data.get("score")
        row = cls(
            **{
                **data,
                "score": Decimal(score) if score is not None else None,
                # Empty as the live ranking's rows are: the one shared empty tuple.
                "inspectors": data.get("inspectors") or (),
                "capped_by": data.get("capped_by") or (),
            }
        )
        if row.rank is None and not row.unranked_reason:  # published before reasons were kept
            row.unranked_reason = "no_result" if score is None else "no_basis"
        return row


# A class the round's version does not know, on a scored result: rank_units refuses it too.
_UNKNOWN_CLASS = "unknown_class"
# The fields of a RankingRow in order, as a snapshot row stores them (the class name apart).
_ROW_FIELDS = ("unit_id", "unit_code", "unit_name", "rank", "classification")
_ROW_REST = (
    "score",
    "provisional",
    "previous_rank",
    "movement",
    "inspectors",
    "capped_by",
    "unranked_reason",
    "awaiting",
)


@dataclass
class GroupRanking:
    group_id: int
    group_code: str
    group_name: str
    rows: list[RankingRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "group_id": self.group_id,
            "group_code": self.group_code,
            "group_name": self.group_name,
            "rows": [row.as_json() for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GroupRanking:
        return cls(
            group_id=data["group_id"],
            group_code=data["group_code"],
            group_name=data["group_name"],
            rows=[RankingRow.from_json(row) for row in data["rows"]],
        )


def ranking_for_round(*, round: Round, group: Group | None = None) -> list[GroupRanking]:
    """The published snapshot of a published round; the live ranking otherwise. Names of
    groups and classes are in the reader's language."""
    snapshot = latest_snapshot(round)
    if snapshot is not None:
        return snapshot_ranking(snapshot=snapshot, group=group)
    return ranking_compute(round=round, group=group)


def latest_snapshot(round: Round) -> RankingSnapshot | None:
    """The ranking as last published; None while the round has never been published."""
    return RankingSnapshot.objects.filter(round=round).newest_first().first()


def publication_number(round: Round) -> int | None:
    """Which publication of the round its ranking is (None: never published), as the files'
    title block says it."""
    return (
        RankingSnapshot.objects.filter(round=round)
        .newest_first()
        .values_list("number", flat=True)
        .first()
    )


def _reading_english() -> bool:
    return (get_language() or "vi").startswith("en")


def snapshot_ranking(
    *, snapshot: RankingSnapshot, group: Group | None = None
) -> list[GroupRanking]:
    """A published ranking read back in three queries, its rows made straight from the
    fetched values (no per-row work in Python)."""
    lines = RankingSnapshotRow.objects.filter(snapshot=snapshot)
    if group is not None:
        lines = lines.filter(group_id=group.pk)
    sizes = list(
        lines.order_by()
        .values("group_id")
        .annotate(n=Count("pk"), first=Min("position"), code=Min("group_code"))
        .annotate(name=Min("group_name"))
        .order_by("first")
        .values_list("group_id", "code", "name", "n")
    )
    current = {
        g.pk: (g.code, in_language(g.name, g.name_en))
        for g in Group.objects.filter(pk__in=[s[0] for s in sizes])
    }
    class_name: Any = F("classification_name")
    if _reading_english():
        class_name = Coalesce(
            NullIf(F("classification_name_en"), Value("")), F("classification_name")
        )
    # The two lists as text, parsed only when not empty (most units have neither).
    fetched = lines.order_by("position").values_list(
        *_ROW_FIELDS,
        class_name,
        *_ROW_REST[:4],
        Cast("inspectors", TextField()),
        Cast("capped_by", TextField()),
        *_ROW_REST[6:],
    )
    with _no_collection():
        rows = _snapshot_rows(_plain_rows(fetched))
    groups, start = [], 0
    for group_id, code, name, n in sizes:
        code, name = current.get(group_id, (code, name))
        groups.append(GroupRanking(group_id, code, name, rows[start : start + n]))
        start += n
    return groups


def _snapshot_rows(fetched: list[tuple[Any, ...]]) -> list[RankingRow]:
    scores, loads = _Scores(), json.loads
    return [
        RankingRow(
            uid,
            code,
            name,
            rank,
            klass,
            class_name,
            scores[score],
            bool(provisional),
            previous,
            movement,
            loads(inspectors) if inspectors != "[]" else (),
            loads(capped) if capped != "[]" else (),
            reason,
            awaiting,
        )
        for (
            uid,
            code,
            name,
            rank,
            klass,
            class_name,
            score,
            provisional,
            previous,
            movement,
            inspectors,
            capped,
            reason,
            awaiting,
        ) in fetched
    ]


def _class_names(round: Round) -> tuple[list[str], dict[str, str]]:
    """The round's class codes, best first, and their names in the reader's language."""
    levels = ClassificationLevel.objects.filter(version_id=round.version_id).order_by("order")
    found = list(levels.values_list("code", "name", "name_en"))
    return [code for code, _vi, _en in found], {code: in_language(vi, en) for code, vi, en in found}


def earlier_snapshots(round: Round) -> list[int]:
    """The latest snapshot of every published round that ended before this one, the latest
    round first: where the ranking reads each unit's previous rank (one query)."""
    return list(
        RankingSnapshot.objects.latest_of_their_rounds()
        .filter(round__status=Round.Status.PUBLISHED, round__ends_on__lt=round.ends_on)
        .order_by("-round__ends_on", "-round_id")
        .values_list("pk", flat=True)
    )


def ranked_units(
    *, round: Round, group_ids: Sequence[int] | None, earlier: Sequence[int] = ()
) -> Any:
    """Rule 7 in SQL: every unit listed in the groups with its result, its rank (RANK() over
    the group, by the stored class order then rounded score) and its rank in the latest
    earlier round where it was ranked in the same group (`earlier`: earlier_snapshots()), in
    the window's order (in_name_order_within_ties finishes rule 7's), as plain values: (unit
    id, code, name, group id, score, class, provisional, capped by (JSON text), why unranked
    ("" when ranked), rank, previous rank, sort key)."""
    # The class order stored with the result (unit_result_recompute writes it from the
    # round's version) sorts as a plain column: no CASE over class codes on every row.
    ranked = Q(res__score__isnull=False) & Q(res__class_order__isnull=False)
    live = (
        Q(merged_into__isnull=True)
        & Q(valid_from__lte=round.ends_on)
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=round.starts_on))
    )
    units = OrgUnit.objects.filter(group_id__isnull=False)
    if group_ids is not None:
        units = units.filter(group_id__in=list(group_ids))
    if earlier:
        # The latest earlier round's lines: one LEFT JOIN on the unique (snapshot, unit).
        units = units.annotate(
            before=FilteredRelation(
                "published_lines",
                condition=Q(published_lines__snapshot_id=earlier[0])
                & Q(published_lines__group_id=F("group_id"))
                & Q(published_lines__rank__isnull=False),
            )
        )
    return (
        units.annotate(
            res=FilteredRelation("results", condition=Q(results__round=round)),
        )
        .filter(live | Q(res__id__isnull=False))
        .annotate(
            # Unranked units have neither key: they come after every ranked unit of their
            # group and all tie there (their order is by name), so they never push a ranked
            # unit's rank down. No parameter in either key: the database sees the window's
            # order and the query's as the same expressions and sorts once.
            class_key=Case(When(ranked, then=F("res__class_order"))),
            score_key=Case(When(ranked, then=F("res__score"))),
            reason=Case(
                When(ranked, then=Value("")),
                When(
                    Q(res__score__isnull=False, res__classification__gt=""),
                    then=Value(_UNKNOWN_CLASS),
                ),
                When(
                    Q(res__inspection_count__isnull=True)
                    | Q(res__inspection_count=0)
                    | Q(res__score__isnull=True),
                    then=Value("no_result"),
                ),
                When(res__enough_basis=False, then=Value("no_basis")),
                default=Value("unclassified"),
                output_field=CharField(),
            ),
            # As text: most units have no ★ cap, and "[]" needs no JSON parsing.
            capped=Cast("res__capped_by", TextField()),
            place=Window(
                Rank(),
                partition_by=[F("group_id")],
                order_by=[
                    F("class_key").asc(nulls_last=True),
                    F("score_key").desc(nulls_last=True),
                ],
            ),
            previous=_previous_rank(earlier),
        )
        # Exactly the window's order, which the database then needs no second sort for; the
        # name order within ties is in_name_order_within_ties' work.
        .order_by(
            "group_id",
            F("class_key").asc(nulls_last=True),
            F("score_key").desc(nulls_last=True),
        )
        .values_list(
            "pk",
            "code",
            "name",
            "group_id",
            "res__score",
            "res__classification",
            "res__provisional",
            "capped",
            "reason",
            "place",
            "previous",
            "sort_key",
        )
    )


# Group, window rank, sort key, id: the window's order (rows of a group with the same rank
# tie: the same class and score, or unranked, which all share the rank after the last ranked
# unit), then rule 7's name order within ties.
_RULE_7_ORDER = operator.itemgetter(3, 9, 11, 0)


def in_name_order_within_ties(fetched: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ranked_units, units that tie in rule 7's name order (by sort key, then id).
    The rows come in the window's order already, so the sort only reorders runs of ties, and
    its keys and comparisons run in C."""
    fetched.sort(key=_RULE_7_ORDER)
    return fetched


def _previous_rank(earlier: Sequence[int]) -> Any:
    """The unit's rank in the latest earlier snapshot that ranked it in its group: the joined
    line of the latest one (nearly every unit), else a look further back, which the database
    runs only for the units that line misses (COALESCE stops at its first value)."""
    if not earlier:
        return Value(None, output_field=IntegerField())
    if len(earlier) == 1:
        return F("before__rank")
    # Each older snapshot's place in time, so the lookup needs no join to order them.
    recency = Case(
        *(When(snapshot_id=pk, then=Value(place)) for place, pk in enumerate(earlier)),
        output_field=IntegerField(),
    )
    further_back = (
        RankingSnapshotRow.objects.filter(
            snapshot_id__in=list(earlier[1:]),
            unit_id=OuterRef("pk"),
            group_id=OuterRef("group_id"),
            rank__isnull=False,
        )
        .order_by(recency)
        .values("rank")[:1]
    )
    return Coalesce(F("before__rank"), Subquery(further_back, output_field=IntegerField()))


def published_rank(*, round_field: str = "round_id", unit_field: str = "unit_id") -> Subquery:
    """The rank of the outer query's unit in its round as last published (None: not
    published, or unranked): the snapshot rows are the one record of published ranks."""
    latest = RankingSnapshot.objects.filter(round_id=OuterRef(OuterRef(round_field)))
    return Subquery(
        RankingSnapshotRow.objects.filter(
            snapshot_id=Subquery(latest.newest_first().values("pk")[:1]),
            unit_id=OuterRef(unit_field),
        )
        .order_by()
        .values("rank")[:1],
        output_field=IntegerField(),
    )


def _plain_rows(queryset: Any, *, sorts: bool = False) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the driver returns them: no per-value converter
        (50,000 rows); the caller converts the one column that needs it. With `sorts`, the
        ranking's sorts on PostgreSQL run without JIT (compiling the plan took longer than running
        it), in memory rather than spilling to disk at the default 4 MB, and with one full sort
    after the window rather than an incremental one over its many small ties (one statement
    more)."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    connection = connections[queryset.db]
    rows: list[tuple[Any, ...]]
    if not sorts or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            return rows
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true),"
            " set_config('enable_incremental_sort', 'off', true)"
        )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows


class _Scores(dict[Any, Decimal | None]):
    """A driver's score (a float on SQLite, a Decimal on PostgreSQL) as the model's
    two-place Decimal; 10,001 possible values, each converted once."""

    def __missing__(self, value: Any) -> Decimal | None:
        score = None if value is None else Decimal(str(value)).quantize(_CENT)
        self[value] = score
        return score


_CENT = Decimal("0.01")


def ranking_compute(*, round: Round, group: Group | None = None) -> list[GroupRanking]:
    """Rule 7 over the stored unit results of a round, per group, ranked by the database."""
    _order, class_names = _class_names(round)
    groups = Group.objects.all() if group is None else Group.objects.filter(pk=group.pk)
    rankings = {
        g.pk: GroupRanking(g.pk, g.code, in_language(g.name, g.name_en))
        for g in groups.only("pk", "code", "name", "name_en")
    }
    inspectors = _inspectors(round)
    awaiting = _awaiting(round)
    only = None if group is None else [group.pk]
    earlier = earlier_snapshots(round)
    with _no_collection():
        fetched = in_name_order_within_ties(
            _plain_rows(ranked_units(round=round, group_ids=only, earlier=earlier), sorts=True)
        )
        _fill(rankings, fetched, class_names, inspectors, awaiting)
        del fetched  # freed now, so the collection that follows does not walk 50,000 tuples
    return [r for r in rankings.values() if r.rows or group is not None]


@contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection while 50,000 rows are made: each row's lists set off the
    collector, which then walks every live object (half the building time, measured)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fill(
    rankings: dict[int, GroupRanking],
    fetched: list[tuple[Any, ...]],
    class_names: dict[str, str],
    inspectors: dict[int, list[str]],
    awaiting: dict[int, int],
) -> None:
    """The rows of ranked_units as RankingRows of their groups: one tuple, one row."""
    scores, loads = _Scores(), json.loads
    current_id, rows = None, None
    for uid, code, name, gid, score, klass, prov, capped, reason, place, before, _key in fetched:
        if gid != current_id:
            current_id, rows = gid, rankings[gid].rows
        rank = None if reason else place
        if reason == _UNKNOWN_CLASS:  # as scoring.rank_units refuses it
            raise ValueError(f"Unknown class {klass!r} for unit {uid}.")
        assert rows is not None
        rows.append(
            RankingRow(
                uid,
                code,
                name,
                rank,
                klass or "",
                class_names.get(klass, "") if klass else "",
                scores[score],
                bool(prov),
                before,
                before - rank if before is not None and rank is not None else None,
                inspectors.get(uid, ()),
                loads(capped) if capped and capped != "[]" else (),
                reason,
                awaiting.get(uid, 0),
            )
        )


def _awaiting(round: Round) -> dict[int, int]:
    """unit → its official inspections of the round not approved yet (one query)."""
    rows = (
        Inspection.objects.filter(round=round, kind=Inspection.Kind.OFFICIAL)
        .exclude(state=Inspection.State.APPROVED)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return dict(rows)


def class_order_names(round: Round) -> list[str]:
    """The names of the round's classes, best first: the first key of the ranking order."""
    return [
        level.display_name
        for level in ClassificationLevel.objects.filter(version_id=round.version_id).order_by(
            "order"
        )
    ]


def _inspectors(round: Round) -> dict[int, list[str]]:
    """unit → the names of the inspectors of its approved official inspections (one query)."""
    rows = (
        Inspection.objects.filter(
            round=round, kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED
        )
        .order_by("unit_id", "inspector__profile__sort_key", "inspector__username")
        .values_list("unit_id", "inspector__profile__full_name", "inspector__username")
    )
    found: dict[int, list[str]] = {}
    for unit_id, full_name, username in rows:
        names = found.setdefault(unit_id, [])
        if (full_name or username) not in names:
            names.append(full_name or username)
    return found
