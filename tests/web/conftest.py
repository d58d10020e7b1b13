"""Web page helpers: the inspector signed in, an assignment to the ward in an open round."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inspections.services import inspection_create
from tests.inspections.builders import assign


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The web fuzz corpus's totals (tests/web/test_fuzz.py), also from xdist workers."""
    totals = {"web_fuzz_cases": 0, "web_fuzz_5xx": 0, "web_fuzz_known_5xx": 0}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if name in totals:
                    totals[name] += int(value)
    if totals["web_fuzz_cases"]:
        terminalreporter.write_line(
            f"web fuzz: {totals['web_fuzz_cases']} cases, {totals['web_fuzz_5xx']} answered 5xx"
            f" (and {totals['web_fuzz_known_5xx']} known 5xx, KNOWN_5XX in test_fuzz.py)"
        )


@pytest.fixture
def assigned(open_round: Any, org: Any, cast: Any) -> Any:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    return open_round.assignments.get(inspector=cast.inspector, unit=org.ward)


@pytest.fixture
def inspection(assigned: Any, cast: Any) -> Any:
    made, _created = inspection_create(by=cast.inspector, round=assigned.round, unit=assigned.unit)
    return made


@pytest.fixture
def inspector_client(cast: Any) -> Client:
    client = Client()
    client.force_login(cast.inspector)
    return client
