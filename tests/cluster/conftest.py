"""One real topology for the module: PostgreSQL, two replicas of two workers, a relay, nginx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deploy.local.cluster import Cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Started as `make cluster` starts it, on free loopback ports; stopped after the module."""
    with Cluster(tmp_path_factory.mktemp("cluster") / "work", port=0) as running:
        yield running
