"""Schemathesis against our own /api/schema/: no 500s, and every response matches the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from inspections import services

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    # Like Django's test client: keep the test's connection (and its transaction) open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _path_parameters(path: str, world: dict[str, Any]) -> dict[str, Any]:
    """Real ids for the path, so generated bodies reach the services, not only 404s."""
    owner = path.split("/")[3]
    ids = {
        "inspections": world["draft"],
        "rounds": world["round"],
        "models": world["version"],
        "actions": world["action"],
        "photos": world["photo"],
    }
    found: dict[str, Any] = {}
    if "{id}" in path and owner in ids:
        found["id"] = str(ids[owner])
    if "{photo_id}" in path:
        found["photo_id"] = str(world["photo"])
    if "{criterion_code}" in path:
        found["criterion_code"] = "D1"
    return found


def _headers_for(user: Any) -> dict[str, str]:
    _token, secret = services.token_issue(user=user, device="schemathesis")
    return {"Authorization": f"Token {secret}", "Accept-Language": "vi"}


def _fuzz(strategy: Any, headers: dict[str, str], seen: list[Any]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,  # the same cases on every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        seen.append(case)
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.filterwarnings("ignore")
def test_every_operation_answers_within_its_schema_and_never_500(
    world: dict[str, Any],
    cast: Any,
    wsgi_app: WSGIHandler,
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = _headers_for(cast.internal_affairs)
    # Revoking tokens is fuzzed with another user's, so the rest of the run keeps its own.
    revoker = _headers_for(cast.leader)
    operations, examples, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        path_parameters = _path_parameters(operation.path, world) or None
        # Valid inputs with real ids, then invalid ones (wrong types, missing fields, bad ids).
        strategy = operation.as_strategy(path_parameters=path_parameters) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )
        seen: list[Any] = []
        try:
            _fuzz(strategy, revoker if "/auth/token" in operation.path else headers, seen)
        except Exception as exc:  # one report for all operations, not a stop at the first
            failures.append(f"{operation.label}: {exc}"[:2000])
        examples += len(seen)
    print(f"schemathesis: {operations} operations, {examples} examples, {len(failures)} failures")
    assert operations >= 30
    assert not failures, "\n\n".join(failures)
