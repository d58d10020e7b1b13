"""Schemathesis against our own /api/schema/: no 500s, and every response matches the schema."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from inspections import services
from inspections.models import Assignment, Criterion, OrgUnit, RoleKind, Round, UserRole

SCHEMA = "/api/schema/?format=json"
EXAMPLES_PER_OPERATION = 10
STATEFUL_SCENARIOS = 25
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
    # The API gzips for clients that accept it, and schemathesis' WSGI transport never unpacks.
    return {
        "Authorization": f"Token {secret}",
        "Accept-Language": "vi",
        "Accept-Encoding": "identity",
    }


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
    schema = schemathesis.openapi.from_wsgi(SCHEMA, wsgi_app)
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


# The stateful run: schemathesis follows the schema's links (api/schema.py) from a created
# inspection to its answers, photos, submit, approval or return, as each role in turn.

ROLES = ("inspector", "other_inspector", "ward_office", "internal_affairs", "leader")
# The operations the links join (api/schema.py): chains start at the create.
WORKFLOW = [
    "inspections_create",
    "inspections_retrieve",
    "inspections_answers_update",
    "inspections_photos_create",
    "inspections_submit_create",
    "inspections_approve_create",
    "inspections_return_create",
    "inspections_score_retrieve",
]


def _guided_schema(raw: dict[str, Any], world: dict[str, Any], user: Any) -> dict[str, Any]:
    """The published schema, steered towards calls that can succeed so that chains go deep:
    the world's ids and criterion codes as the only choices where real ones are needed,
    answers of the kinds the catalogue takes, no extra body fields and no control characters
    in texts (each is a 400 of its own, which the single-call run above already sends)."""
    codes = list(
        Criterion.objects.filter(version_id=world["version"])
        .order_by("code")
        .values_list("code", flat=True)
    )
    components = raw["components"]["schemas"]
    for name, component in components.items():
        if name.endswith("Request"):
            component["additionalProperties"] = False
            for field in component.get("properties", {}).values():
                if field.get("type") == "string" and not {"format", "enum"} & set(field):
                    field["pattern"] = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
    create = components["InspectionCreateRequest"]["properties"]
    # The units this user works on (assigned, or their own for a self-assessment); others
    # are refused alike, and the single-call run sends them.
    assigned = Assignment.objects.filter(inspector=user).values_list("unit_id", flat=True)
    own = UserRole.objects.filter(user=user, kind=RoleKind.OFFICE).values_list("unit_id", flat=True)
    create["unit"]["enum"] = sorted({*assigned, *own}) or [world["ward"]]
    create["kind"] = {"enum": ["self"] if own else ["official"]}
    create["round"]["enum"] = [world["round"]]
    create.pop("id")  # a new inspection each time, not the same client id again and again
    components["AnswerWriteRequest"]["properties"]["value"] = {
        "enum": [True, False, 0, 2, 4, 50, 100, "na", None]
    }
    components["ReturnRequest"]["properties"]["criteria"]["items"] = {"enum": codes}
    components["PhotoUploadRequest"]["properties"]["criterion"] = {"enum": codes}
    # Calls that start a chain name an inspection of the world; links bring the new ones.
    inspections = [str(world[k]) for k in ("draft", "submitted", "approved", "self")]
    for path, operations in raw["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if "{id}" in path else []:
                if parameter["name"] == "id":
                    parameter["schema"] = {"type": "string", "enum": inspections}
                if parameter["name"] == "criterion_code":
                    parameter["schema"] = {"type": "string", "enum": codes}
    return raw


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("role", ROLES)
def test_the_inspection_workflow_followed_by_its_links_never_answers_5xx(
    world: dict[str, Any], cast: Any, wsgi_app: WSGIHandler, role: str, record_property: Any
) -> None:
    # The second inspector's one unit already has their inspection: give them a new one.
    services.assignments_create(
        by=cast.internal_affairs,
        round=Round.objects.get(pk=world["round"]),
        inspector=cast.other_inspector,
        units=[OrgUnit.objects.get(pk=world["school"])],
    )
    # Through the handler, not Django's test client: that one turns connection closing back on.
    raw = copy.deepcopy(schemathesis.openapi.from_wsgi(SCHEMA, wsgi_app).raw_schema)
    user = getattr(cast, role)
    schema = schemathesis.openapi.from_dict(_guided_schema(raw, world, user))
    schema.app = wsgi_app
    schema = schema.include(operation_id=WORKFLOW)
    # Valid requests only: the single-call run above sends the invalid ones; here the point
    # is how deep a chain of calls goes.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    headers = _headers_for(user)
    steps: list[tuple[str, int]] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Each scenario starts from the same world: its writes roll back at teardown.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            steps.append((case.operation.label, response.status_code))
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=8,
            derandomize=True,  # a fixed seed: the same scenarios on every run
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    record_property("stateful_calls", len(steps))
    assert not [step for step in steps if step[1] >= 500]
    assert "POST /api/v1/inspections/" in {label for label, _status in steps}
    writes = {label for label, status in steps if status < 400 and not label.startswith("GET")}
    if role == "leader":
        assert writes == set(), "a leader reads everything and writes nothing"
    else:
        assert writes, "no chain got past its first refusal"
