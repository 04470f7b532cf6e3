"""The relay inside the API process (what `termsgate serve` does unless --no-relay)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.main import create_app
from tests.support.deliveries import emit, hook, wait_for_status
from tests.support.harness import visible_by, within
from tests.support.parts import store_of
from tests.support.receiver import Receiver


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


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
    before = samples(serving)
    assert before[("termsgate_outbox_pending", ())] >= 0
    assert ("termsgate_outbox_oldest_pending_age_seconds", ()) in before
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
        token = apikeys.create(session, "ops", ["segments:write"], "test", clock)
    return {"Authorization": f"Bearer {token}"}


def test_without_a_relay_the_api_still_reports_the_outbox_backlog(
    settings: Settings, clock: Clock
) -> None:
    writer = Store(settings)
    try:
        emit(writer, clock, count=2)
    finally:
        writer.dispose()
    with TestClient(create_app(settings, clock)) as client:  # relay_in_process is off
        found = visible_by(
            within(5),
            lambda: samples(client),
            lambda seen: seen.get(("termsgate_outbox_pending", ())) == 2,
            "the pending gauge",
        )
    assert found[("termsgate_outbox_oldest_pending_age_seconds", ())] >= 0
