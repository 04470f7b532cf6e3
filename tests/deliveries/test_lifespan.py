"""The relay inside the API process (what `termsgate serve` does unless --no-relay)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from app.apikeys import service as apikeys
from app.core import metrics
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.main import create_app
from tests.support.deliveries import emit, hook, wait_for_status
from tests.support.harness import visible_by, within
from tests.support.metrics import samples
from tests.support.parts import store_of
from tests.support.receiver import Receiver

PENDING = ("termsgate_outbox_pending", ())
OLDEST_AGE = ("termsgate_outbox_oldest_pending_age_seconds", ())
BACKLOG_AGE = timedelta(minutes=10)


@pytest.fixture
def serving(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"relay_in_process": True}), clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_api_process_runs_the_relay_and_counts_its_deliveries(
    serving: TestClient, clock: Clock, ops: dict[str, str], receiver: Receiver
) -> None:
    store: Store = store_of(serving.app)
    delivered = ("termsgate_webhook_deliveries_total", (("result", "delivered"),))
    before = visible_by(  # the relay reports the fresh store's backlog: none
        within(5),
        lambda: samples(serving),
        lambda seen: seen.get(PENDING) == 0 and seen.get(OLDEST_AGE) == 0,
        "an empty backlog",
    )
    hook(serving, ops, receiver.url)
    event_ids = emit(store, clock, count=3)

    wait_for_status(store, event_ids, "delivered")

    visible_by(  # counted just after the outcomes commit
        within(5),
        lambda: samples(serving)[delivered],
        lambda count: count == before[delivered] + 3,
        "three deliveries counted",
    )
    assert receiver.delivered_counts() == dict.fromkeys(event_ids, 1)


@pytest.fixture
def ops(serving: TestClient, clock: Clock) -> dict[str, str]:
    """A key made through the serving app's own store."""
    store: Store = store_of(serving.app)
    with store.writing() as session:
        token = apikeys.create(session, "ops", scopes=["segments:write"], actor="test", clock=clock)
    return {"Authorization": f"Bearer {token}"}


def test_without_a_relay_the_api_still_reports_the_outbox_backlog(
    settings: Settings, clock: Clock
) -> None:
    writer = Store(settings)
    try:
        emit(writer, Clock(shift=-BACKLOG_AGE), count=2)  # written ten minutes ago
    finally:
        writer.dispose()
    metrics.report_backlog(0, 0.0)  # the gauges are the process's: forget earlier tests' stores
    with TestClient(create_app(settings, clock)) as client:  # relay_in_process is off
        found = visible_by(
            within(5),
            lambda: samples(client),
            lambda seen: seen.get(PENDING) == 2,
            "the pending gauge",
        )
    age = found[OLDEST_AGE]
    assert BACKLOG_AGE.total_seconds() <= age < BACKLOG_AGE.total_seconds() + 60, age
