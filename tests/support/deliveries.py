"""Delivery tests: a real receiver on 127.0.0.1, relays started by the test, short schedules."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.core.clock import Clock
from app.core.models import OutboxEvent, Workflow
from app.core.store import Store
from app.deliveries.outbox import enqueue, event_row
from app.deliveries.relay import Relay

SCHEDULE = [0.05, 0.1, 0.2]  # four attempts in all, dead within about half a second
WAIT_SECONDS = 15.0
StartRelay = Callable[..., Relay]


def hook(client: TestClient, ops: dict[str, str], url: str, key: str = "net_30") -> str:
    """Point a default workflow at `url`; returns the secret its PUT answered, once."""
    revision = client.get(f"/v1/workflows/{key}", headers=ops).headers["etag"]
    answer = client.put(
        f"/v1/workflows/{key}",
        json={"name": key, "webhook_url": url},
        headers={**ops, "If-Match": revision},
    )
    assert answer.status_code == 200, answer.text
    secret: str = answer.json()["secret"]
    return secret


def point_directly(store: Store, url: str, secret: str, key: str = "net_30") -> None:
    """Set a workflow's webhook in the store, past the checks a PUT makes."""
    with store.writing() as session:
        session.execute(
            update(Workflow).where(Workflow.key == key).values(webhook_url=url, secret=secret)
        )


def emit(store: Store, clock: Clock, count: int = 1, workflow: str = "net_30") -> list[str]:
    """Write `count` invoice.routed events into the outbox in one transaction; their ids."""
    now = clock.now()
    rows = [
        event_row("invoice.routed", workflow, {"invoice_id": f"inv-{n}", "amount": n}, now)
        for n in range(count)
    ]
    with store.writing() as session:
        enqueue(session, rows)
    return [row["event_id"] for row in rows]


def events(store: Store) -> dict[str, OutboxEvent]:
    """Every outbox row by event id, detached (readable after the session closes)."""
    with store.reading() as session:
        rows = {row.event_id: row for row in session.scalars(select(OutboxEvent))}
        session.expunge_all()
    return rows


def wait_for_status(
    store: Store, event_ids: list[str], status: str, timeout: float = WAIT_SECONDS
) -> dict[str, OutboxEvent]:
    """Poll the outbox until every one of `event_ids` is in `status`; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        rows = events(store)
        if all(rows[event_id].status == status for event_id in event_ids):
            return rows
        if time.monotonic() >= deadline:
            seen = {event_id: rows[event_id].status for event_id in event_ids}
            pytest.fail(f"not all {status} within {timeout}s: {seen}")
        time.sleep(0.02)
