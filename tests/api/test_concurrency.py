"""Two phones retrying the same create at the same moment make one inspection (PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection

from inspections import services
from inspections.models import Inspection
from tests.api.conftest import client_for


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_with_one_id_make_one_inspection(
    org: Any, cast: Any, open_round: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    services.assignments_create(
        by=cast.internal_affairs, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    new = {"id": str(uuid.uuid4()), "unit": org.ward.pk, "round": open_round.pk}
    start = threading.Barrier(2)
    statuses: list[int] = []

    def create() -> None:
        from django.db import connection as own  # each thread has its own connection

        try:
            client = client_for(cast.inspector)
            start.wait()
            statuses.append(client.post("/api/v1/inspections/", new, format="json").status_code)
        finally:
            own.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 201]
    assert Inspection.objects.filter(unit=org.ward, round=open_round).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_that_waited_for_the_lock_sees_the_answer_committed_meanwhile(
    org: Any, cast: Any, open_round: Any
) -> None:
    """The autosave reads the answer with the locked inspection, in one statement; when that
    lock waited, the answer another write committed meanwhile is read anew (no duplicate)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from django.db import transaction

    from inspections.models import Answer
    from inspections.services.results import score_of

    services.assignments_create(
        by=cast.internal_affairs, round=open_round, inspector=cast.inspector, units=[org.ward]
    )
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    outcome: list[object] = []

    def second() -> None:
        from django.db import connection as own

        try:
            answer = services.answer_set(
                by=cast.inspector, inspection=inspection.pk, criterion_code="A1", value=3
            )
            outcome.append(answer.level)
        except Exception as error:  # the failure is the test's to report
            outcome.append(error)
        finally:
            own.close()

    waiting = threading.Thread(target=second)
    with transaction.atomic():
        services.answer_set(by=cast.inspector, inspection=inspection, criterion_code="A1", value=2)
        waiting.start()
        waiting.join(timeout=1.0)  # it takes its snapshot, then waits for this lock
        assert waiting.is_alive()
    waiting.join()
    assert outcome == [3]
    assert list(Answer.objects.filter(inspection=inspection).values_list("level", flat=True)) == [3]
    inspection.refresh_from_db()
    assert inspection.score == score_of(inspection).rounded


@pytest.mark.django_db(transaction=True)
def test_answers_to_two_inspections_of_one_round_do_not_wait_for_each_other(
    org: Any, cast: Any, open_round: Any
) -> None:
    """An autosave holds its round FOR SHARE, not FOR UPDATE: another inspector's autosave in
    the same round goes on while the first is still open, and closing the round waits for it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from django.db import transaction

    from inspections.models import Round

    for inspector, unit in ((cast.inspector, org.ward), (cast.other_inspector, org.school)):
        services.assignments_create(
            by=cast.internal_affairs, round=open_round, inspector=inspector, units=[unit]
        )
    first, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    second, _ = services.inspection_create(
        by=cast.other_inspector, round=open_round, unit=org.school
    )
    outcome: list[object] = []

    def run(work: Any) -> threading.Thread:
        return _in_thread(work, outcome)

    with transaction.atomic():
        services.answer_set(by=cast.inspector, inspection=first, criterion_code="A1", value=2)
        other = run(
            lambda: (
                services.answer_set(
                    by=cast.other_inspector, inspection=second.pk, criterion_code="A1", value=3
                ).level
            )
        )
        other.join(timeout=10)
        assert not other.is_alive()
        assert outcome == [3]
        closing = run(lambda: _closed(open_round, by=cast.internal_affairs))
        closing.join(timeout=1.0)
        assert closing.is_alive()  # waits for the autosave still open
    closing.join()
    assert outcome == [3, Round.Status.CLOSED]


@pytest.mark.django_db(transaction=True)
def test_starting_an_inspection_waits_only_for_the_same_unit(
    org: Any, cast: Any, open_round: Any
) -> None:
    """A start holds its round FOR SHARE and locks its unit: it goes on beside another
    inspector's open autosave, a second start at the same unit waits its turn (one result
    row for the unit), and closing the round waits for the starts in flight."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from django.db import transaction

    from inspections.models import Round, UnitResult

    for inspector, units in (
        (cast.inspector, [org.ward, org.school]),
        (cast.other_inspector, [org.ward, org.thi_dua]),
    ):
        services.assignments_create(
            by=cast.internal_affairs, round=open_round, inspector=inspector, units=units
        )
    first, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.school)
    outcome: list[object] = []

    def run(work: Any) -> threading.Thread:
        return _in_thread(work, outcome)

    def other_starts(unit: Any) -> Any:
        started, _ = services.inspection_create(
            by=cast.other_inspector, round=open_round, unit=unit
        )
        return started.unit_id

    with transaction.atomic():
        services.answer_set(by=cast.inspector, inspection=first, criterion_code="A1", value=2)
        elsewhere = run(lambda: other_starts(org.thi_dua))
        elsewhere.join(timeout=10)
        assert not elsewhere.is_alive()  # no wait for the open autosave
    assert outcome == [org.thi_dua.pk]

    with transaction.atomic():
        services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
        same_unit = run(lambda: other_starts(org.ward))
        same_unit.join(timeout=1.0)
        assert same_unit.is_alive()  # waits for the start at the same unit
        closing = run(lambda: _closed(open_round, by=cast.internal_affairs))
        closing.join(timeout=1.0)
        assert closing.is_alive()  # waits for both starts
    same_unit.join()
    closing.join()
    assert outcome == [org.thi_dua.pk, org.ward.pk, Round.Status.CLOSED]
    assert UnitResult.objects.filter(round=open_round, unit=org.ward).count() == 1


def _closed(round_: Any, *, by: Any) -> Any:
    """Close the round (confirmed) and give its new status."""
    return services.round_close(round=round_, by=by, confirmed=True).status


def _in_thread(work: Any, outcome: list[object]) -> threading.Thread:
    """Run `work` on a thread of its own (its own connection), its result or error appended
    to `outcome`."""

    def target() -> None:
        from django.db import connection as own

        try:
            outcome.append(work())
        except Exception as error:  # the failure is the test's to report
            outcome.append(error)
        finally:
            own.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread
