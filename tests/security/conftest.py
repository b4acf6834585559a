"""One live deployment for the security tests: two app server processes sharing Redis, logging at
DEBUG, so that anything a secret could leak through is switched on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.live import Cluster, running_cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with running_cluster(2, extra_env={"LOG_LEVEL": "DEBUG"}) as running:
        yield running
