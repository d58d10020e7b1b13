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
