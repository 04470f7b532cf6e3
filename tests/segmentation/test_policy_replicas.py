"""A policy put through one replica reaches every other one: two `termsgate serve` processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import bearer, create_key, http, terms, visible_by, within
from tests.support.policies import POLICY, policy
from tests.support.postgres import PostgresCluster
from tests.support.server import Server
from tests.support.stores import TEMPLATE_DB

POSTGRESQL_BOUND = 1.0


@pytest.fixture
def replicas(pg_cluster: PostgresCluster, tmp_path: Path) -> Iterator[tuple[str, Server, Server]]:
    """A PostgreSQL store of the test's own and two servers on it."""
    name = f"s_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name, template=TEMPLATE_DB)
    a = Server(url, tmp_path / "a.log", extra_args=("--no-migrate", "--no-relay"))
    b = Server(url, tmp_path / "b.log", extra_args=("--no-migrate", "--no-relay"))
    try:
        a.start(timeout=30)
        b.start(timeout=30)
        yield url, a, b
    finally:
        a.stop()
        b.stop()
        pg_cluster.drop_database(name)


def test_new_policy_reaches_the_other_replica_within_a_second(
    replicas: tuple[str, Server, Server],
) -> None:
    url, a, b = replicas
    headers = bearer(create_key(url, "ops", "admin"))
    with http(a) as on_a, http(b) as on_b:
        visible_by(within(5), lambda: terms(on_b, "c-new", headers)[0], (200).__eq__, "key on B")
        assert terms(on_b, "c-new", headers)[1]["policy_version"] == 1
        answer = on_a.put(
            POLICY,
            json=policy(new_customer_segment="net_30"),
            headers={**headers, "If-Match": '"1"'},
        )
        assert answer.status_code == 200, answer.text
        seen = visible_by(
            within(POSTGRESQL_BOUND),
            lambda: terms(on_b, "c-new", headers)[1],
            lambda body: body["policy_version"] == 2,
            "policy version 2 on B",
        )
        assert (seen["segment"], seen["source"]) == ("net_30", "default")
        assert on_b.get(POLICY, headers=headers).headers["etag"] == '"2"'
