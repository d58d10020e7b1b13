"""Web page helpers: the inspector signed in, an assignment to the ward in an open round."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inspections.services import inspection_create
from tests.inspections.builders import assign


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
