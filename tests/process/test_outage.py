"""The store dies under a running server, and a server starts with no store at all.

Lookups never fail because PostgreSQL is down: they answer from the last snapshot (or, with
none, pay-on-order) marked stale; writes answer 503 with Retry-After and leave nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.harness import (
    bearer,
    cli_env,
    create_key,
    http,
    place,
    terms,
    visible_by,
    within,
)
from tests.support.launch import Launch
from tests.support.postgres import PostgresCluster
from tests.support.server import termsgate

pytestmark = pytest.mark.process

# Generous bounds: when stale must show, and how long a restarted store may take to be used.
STALE_WITHIN = 3.0
RECOVERED_WITHIN = 10.0
NET_7 = {"name": "Net 7", "terms": {"type": "net", "net_days": 7}, "workflow": "net_15"}
FALLBACK = {
    "segment": "pay_on_order",
    "source": "default",
    "stale": True,
    "terms": {"type": "pay_on_order", "net_days": 0},
}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[PostgresCluster]:
    """A PostgreSQL of this test's own: it gets killed."""
    own = PostgresCluster(tmp_path / "pg")
    own.start()
    yield own
    own.stop()


@pytest.fixture
def database_url(cluster: PostgresCluster) -> str:
    url = cluster.create_database("outage")
    done = termsgate("migrate", env=cli_env(url))
    assert done.returncode == 0, done.stderr
    return url


def test_a_store_outage_serves_the_last_snapshot_stale_and_refuses_writes(
    cluster: PostgresCluster, database_url: str, launch: Launch
) -> None:
    headers = bearer(create_key(database_url, "ops-1", "admin"))
    place(database_url, "c-1", "net_30")
    server = launch(database_url, env={"TERMSGATE_DB_TIMEOUT_SECONDS": "2"})
    with http(server) as client:
        assert _lookup(client, headers)["stale"] is False

        cluster.kill()
        during: list[dict[str, Any]] = []
        visible_by(
            within(STALE_WITHIN),
            lambda: _recorded(during, _lookup(client, headers)),
            lambda body: body["stale"] is True,
            "stale during the outage",
        )
        refused = client.put("/v1/segments/net_7", headers=headers, json=NET_7)
        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 503
        assert int(refused.headers["Retry-After"]) > 0
        during.append(_lookup(client, headers))
        decided = _decide(client, headers)
        assert (decided["outcome"], decided["terms"]["net_days"]) == ("net_terms", 30)
        assert (decided["reasons"], decided["stale"]) == ([], True)

        cluster.restart()
        visible_by(
            within(RECOVERED_WITHIN),
            lambda: _recorded(during, _lookup(client, headers)),
            lambda body: body["stale"] is False,
            "fresh after the restart",
        )
        assert {
            (body["segment"], body["source"], body["terms"]["net_days"]) for body in during
        } == {("net_30", "segment", 30)}

        retried = client.put("/v1/segments/net_7", headers=headers, json=NET_7)
        assert retried.status_code == 201, retried.text
        # The decision given during the outage was held, and written once the store was back
        # (while the server runs: not at its shutdown).
        visible_by(
            within(RECOVERED_WITHIN),
            lambda: _stored_decisions(database_url, decided["decision_id"]),
            (1).__eq__,
            "the outage's decision in the store",
        )

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            segments = connection.execute(
                text("SELECT count(*) FROM segments WHERE key = 'net_7'")
            ).scalar_one()
            audited = connection.execute(
                text("SELECT count(*) FROM audit_events WHERE entity_id = 'net_7'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert (segments, audited) == (1, 1)


def _stored_decisions(database_url: str, decision_id: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            found: int = connection.execute(
                text("SELECT count(*) FROM checkout_decisions WHERE decision_id = :id"),
                {"id": decision_id},
            ).scalar_one()
            return found
    finally:
        engine.dispose()


def test_a_server_started_without_its_store_answers_pay_on_order_until_it_loads(
    cluster: PostgresCluster, database_url: str, launch: Launch
) -> None:
    token = create_key(database_url, "checkout", "terms:read")
    place(database_url, "c-1", "net_30")
    cluster.stop()

    server = launch(database_url, "--no-migrate", wait_ready=False)
    unknown = bearer("tgk_" + secrets.token_urlsafe(32))
    with http(server) as client:
        assert client.get("/healthz/ready").status_code == 503
        for headers in (bearer(token), unknown):
            for customer_id in ("c-1", "c-unknown"):
                status, body = terms(client, customer_id, headers)
                assert status == 200, body
                assert body | FALLBACK == body
                decided = _decide(client, headers, customer_id=customer_id)
                assert (decided["outcome"], decided["reasons"]) == (
                    "pay_on_order",
                    ["store_unavailable"],
                )
        assert _status(client, {}) == 401
        assert _status(client, bearer("tgk_short")) == 401

        cluster.restart()
        server.wait_until("/healthz/ready", timeout=RECOVERED_WITHIN)
        status, body = terms(client, "c-1", bearer(token))
        assert status == 200
        assert (body["segment"], body["source"], body["stale"]) == ("net_30", "segment", False)
        assert _status(client, unknown) == 401


def _lookup(client: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    status, body = terms(client, "c-1", headers)
    assert status == 200, body
    assert isinstance(body, dict)
    return body


def _decide(client: httpx.Client, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    order = {"customer_id": "c-1", "order_id": "o-1", "amount": 1_000, "currency": "USD"}
    answer = client.post("/v1/checkout/decisions", json=order | changes, headers=headers)
    assert answer.status_code == 200, answer.text
    decided: dict[str, Any] = answer.json()
    return decided


def _recorded(during: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    during.append(body)
    return body


def _status(client: httpx.Client, headers: dict[str, str]) -> int:
    return client.get("/v1/customers/c-1/terms", headers=headers).status_code
