"""Several processes on one store: a change made anywhere is seen everywhere, in bounded time.

The contract: visible at once on the process that made it, within 1 second on every other
process on PostgreSQL, within the polling interval on SQLite (0.1 s here; 2 s allowed).
"""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.support.harness import (
    bearer,
    cli_create_key,
    create_key,
    http,
    pin,
    place,
    revoke_key,
    set_net_days,
    terms,
    visible_by,
    within,
)
from tests.support.launch import Launch

pytestmark = pytest.mark.process

POSTGRESQL_BOUND = 1.0
SQLITE_BOUND = 2.0


def status_of(client: httpx.Client, headers: dict[str, str]) -> int:
    return client.get("/v1/customers/c-any/terms", headers=headers).status_code


def placement(client: httpx.Client, headers: dict[str, str]) -> tuple[str, str, int]:
    status, body = terms(client, "c-1", headers)
    assert status == 200, body
    return body["segment"], body["source"], body["terms"]["net_days"]


def stored_rows(database_url: str, table: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [repr(tuple(row)) for row in connection.execute(text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()


def test_a_key_made_or_revoked_by_the_cli_reaches_both_replicas_within_a_second(
    pg_database: str, launch: Launch
) -> None:
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        token = cli_create_key(pg_database, "ops-1", "admin")
        deadline = within(POSTGRESQL_BOUND)
        for client in (on_a, on_b):
            visible_by(deadline, partial(status_of, client, bearer(token)), (200).__eq__, "key")
        assert token.startswith("tgk_")
        assert len(token) == 47

        engine = create_engine(pg_database)
        try:
            with engine.connect() as connection:
                stored = connection.execute(
                    text("SELECT token_sha256 FROM api_keys WHERE name = 'ops-1'")
                ).scalar_one()
        finally:
            engine.dispose()
        assert stored == hashlib.sha256(token.encode()).hexdigest()
        secret = token.removeprefix("tgk_")
        for table in ("api_keys", "audit_events"):
            assert not [row for row in stored_rows(pg_database, table) if secret in row]

        revoke_key(pg_database, "ops-1")
        deadline = within(POSTGRESQL_BOUND)
        for client in (on_a, on_b):
            visible_by(deadline, partial(status_of, client, bearer(token)), (401).__eq__, "revoke")


def test_terms_changed_through_one_replica_reach_the_other_within_a_second(
    pg_database: str, launch: Launch
) -> None:
    headers = bearer(create_key(pg_database, "ops-1", "admin"))
    a = launch(pg_database, "--no-migrate")
    b = launch(pg_database, "--no-migrate")
    with http(a) as on_a, http(b) as on_b:
        place(pg_database, "c-1", "net_30")
        visible_by(
            within(POSTGRESQL_BOUND),
            lambda: placement(on_b, headers),
            ("net_30", "segment", 30).__eq__,
            "placement on B",
        )

        current = on_a.get("/v1/segments/net_30", headers=headers)
        assert current.status_code == 200
        changed = on_a.put(
            "/v1/segments/net_30",
            headers={**headers, "If-Match": current.headers["ETag"]},
            json=_with_net_days(current.json(), 45),
        )
        assert changed.status_code == 200, changed.text
        deadline = within(POSTGRESQL_BOUND)
        assert placement(on_a, headers) == ("net_30", "segment", 45)
        visible_by(
            deadline,
            lambda: placement(on_b, headers),
            ("net_30", "segment", 45).__eq__,
            "segment change on B",
        )

        pinned = on_a.put(
            "/v1/customers/c-1/override",
            headers=headers,
            json={"segment": "pay_on_order", "reason": "collections hold"},
        )
        assert pinned.status_code == 200, pinned.text
        deadline = within(POSTGRESQL_BOUND)
        assert placement(on_a, headers) == ("pay_on_order", "override", 0)
        visible_by(
            deadline,
            lambda: placement(on_b, headers),
            ("pay_on_order", "override", 0).__eq__,
            "override on B",
        )


def test_sqlite_changes_by_other_processes_are_seen_within_the_polling_interval(
    sqlite_database: str, launch: Launch
) -> None:
    server = launch(sqlite_database, "--no-migrate")
    with http(server) as client:
        token = create_key(sqlite_database, "ops-1", "admin")
        headers = bearer(token)
        visible_by(
            within(SQLITE_BOUND), lambda: status_of(client, headers), (200).__eq__, "new key"
        )

        place(sqlite_database, "c-1", "net_30")
        visible_by(
            within(SQLITE_BOUND),
            lambda: placement(client, headers),
            ("net_30", "segment", 30).__eq__,
            "placement",
        )
        set_net_days(sqlite_database, "net_30", 45)
        visible_by(
            within(SQLITE_BOUND),
            lambda: placement(client, headers),
            ("net_30", "segment", 45).__eq__,
            "segment change",
        )
        pin(sqlite_database, "c-1", "pay_on_order")
        visible_by(
            within(SQLITE_BOUND),
            lambda: placement(client, headers),
            ("pay_on_order", "override", 0).__eq__,
            "override",
        )

        revoke_key(sqlite_database, "ops-1")
        visible_by(within(SQLITE_BOUND), lambda: status_of(client, headers), (401).__eq__, "revoke")


def _with_net_days(segment: dict[str, Any], net_days: int) -> dict[str, Any]:
    """A segment's PUT body from its GET answer, with other net days."""
    return {
        "name": segment["name"],
        "terms": {"type": "net", "net_days": net_days},
        "credit_limit": segment["credit_limit"],
        "workflow": segment["workflow"],
        "contact_plan": segment["contact_plan"],
    }
