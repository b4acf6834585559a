"""Schemathesis against our OpenAPI schema, served by a live app server process: for generated
requests to every operation, no 5xx, and every answer's status, content type and body match
what the schema promises. Authenticated with a bearer token, as 1.x clients are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .live import Cluster, deployment

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with deployment("sqlite", processes=1) as running:
        yield running


@pytest.fixture(scope="module")
def api_schema(cluster: Cluster) -> Any:
    return schemathesis.openapi.from_url(f"{cluster.url()}/api/schema/?format=json")


schema = schemathesis.pytest.from_fixture("api_schema").exclude(
    # Would revoke the very token the other requests carry.
    path="/api/auth/logout-all"
)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, cluster: Cluster):
    # A client address per call, so the 1.x login/register limits never turn answers into 429s
    # that hide what the endpoint itself would say.
    headers = {**cluster.login.auth, **cluster.address()}
    case.call_and_validate(headers=headers, checks=CHECKS)
