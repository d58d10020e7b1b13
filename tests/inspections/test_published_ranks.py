"""A published rank is kept once, in the snapshot rows: the movement column and the unit page
read it from the latest snapshot of a round, and migration 0016 dropped the copy on the unit
results only where the snapshots hold every rank (and fills it again on the way back)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from inspections.models import OrgUnit, Round, UnitResult
from inspections.selectors import ranking_compute, unit_history
from inspections.services import round_create, round_publish


def _round(cast: Any, version: Any, name: str, starts: datetime.date, ends: datetime.date) -> Round:
    return round_create(
        by=cast.internal_affairs, name=name, version=version, starts_on=starts, ends_on=ends
    )


def _result(unit: Any, round_: Round, score: str, klass: str = "tot", order: int = 2) -> None:
    UnitResult.objects.update_or_create(
        unit=unit,
        round=round_,
        defaults={
            "group_id": unit.group_id,
            "score": Decimal(score),
            "classification": klass,
            "class_order": order,
            "inspection_count": 1,
        },
    )


def _publish(round_: Round, cast: Any, reason: str = "") -> None:
    if round_.status != Round.Status.PUBLISHED:
        Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    round_publish(round=round_, by=cast.internal_affairs, reason=reason, confirmed=True)
    round_.refresh_from_db()


def _previous(round_: Round, group: Any) -> dict[int, tuple[int | None, int | None]]:
    (ranking,) = ranking_compute(round=round_, group=group)
    return {row.unit_id: (row.rank, row.previous_rank) for row in ranking.rows}


def test_movement_reads_the_latest_snapshot_and_looks_further_back(
    org: Any, cast: Any, version: Any, open_round: Round
) -> None:
    q2 = _round(cast, version, "Quý II/2026", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    q3 = _round(
        cast, version, "Quý III/2026", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    )
    _result(org.ward, q2, "85.00")  # ward 1st in Q2, school 2nd
    _result(org.school, q2, "82.00")
    _publish(q2, cast)
    _result(org.ward, q3, "81.00")  # Q3 #1: the school 1st, the ward 2nd
    _result(org.school, q3, "90.00")
    _publish(q3, cast)
    UnitResult.objects.filter(unit=org.school, round=q3).update(score=Decimal("80.00"))
    _publish(q3, cast, reason="Phúc tra")  # #2: the ward 1st, the school 2nd
    UnitResult.objects.filter(unit=org.ward, round=q3).update(score=None, class_order=None)
    _publish(q3, cast, reason="Phiếu của phường bị hủy")  # #3: the school 1st, the ward unranked
    _result(org.ward, open_round, "70.00", "kha", 3)
    _result(org.school, open_round, "88.00")

    assert _previous(open_round, org.wards) == {
        org.school.pk: (1, 1),  # Q3's latest snapshot (#3), not #2 (2nd)
        org.ward.pk: (2, 1),  # unranked in Q3's latest: Q2's rank, not #1's (2nd)
    }
    q3_ranks = {r.round_id: r.rank for r in unit_history(org.school)}
    assert q3_ranks == {q2.pk: 2, q3.pk: 1, open_round.pk: None}


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_the_copied_rank_only_when_every_snapshot_holds_it() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from inspections.services import load_reference_catalogue

    before = [("inspections", "0015_photo_overlays")]
    after = [("inspections", "0016_unitresult_rank_in_snapshots_only")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        group = apps.get_model("inspections", "Group").objects.create(code="phuong", name="Khối")
        unit_model = apps.get_model("inspections", "OrgUnit")
        ward = unit_model.objects.create(code="PANLAC", name="Phường An Lạc", group=group)
        school = unit_model.objects.create(code="TAL", name="Trường An Lạc", group=group)
        round_ = apps.get_model("inspections", "Round").objects.create(
            name="Quý III/2026",
            version_id=load_reference_catalogue().pk,
            status="published",
            starts_on=datetime.date(2026, 7, 1),
            ends_on=datetime.date(2026, 9, 30),
        )
        snapshots = apps.get_model("inspections", "RankingSnapshot").objects
        first = snapshots.create(round=round_, number=1, published_at=timezone.now())
        latest = snapshots.create(round=round_, number=2, published_at=timezone.now(), reason="x")
        rows = apps.get_model("inspections", "RankingSnapshotRow").objects
        line = {"group_id": group.pk, "group_code": "phuong", "group_name": "Khối"}
        for snapshot, ward_rank in ((first, 2), (latest, 1)):
            rows.create(snapshot=snapshot, position=1, unit_id=ward.pk, rank=ward_rank, **line)
        rows.create(snapshot=first, position=2, unit_id=school.pk, rank=1, **line)
        results = apps.get_model("inspections", "UnitResult").objects
        for unit, score in ((ward, "90"), (school, "80")):
            results.create(
                unit=unit,
                round=round_,
                group=group,
                score=Decimal(score),
                inspection_count=1,
                rank=1,
            )

        # The school's rank is in the first snapshot only: dropping it would lose it.
        with pytest.raises(RuntimeError, match="1 unit results"):
            MigrationExecutor(connection).migrate(after)
        results.filter(unit=school).update(rank=None)  # as the latest publication left it
        MigrationExecutor(connection).migrate(after)
        ranks = [(r.round_id, r.rank) for r in unit_history(OrgUnit.objects.get(pk=ward.pk))]
        assert ranks == [(round_.pk, 1)]

        MigrationExecutor(connection).migrate(before)
        assert dict(results.values_list("unit_id", "rank")) == {ward.pk: 1, school.pk: None}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
