"""Delivery tests: a real receiver on 127.0.0.1, relays started by the test, short schedules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.deliveries.relay import Relay
from tests.support.deliveries import SCHEDULE, StartRelay
from tests.support.receiver import Receiver


@pytest.fixture
def grace_hours() -> float:
    """How long a rotated-out secret keeps signing; parametrize to change it."""
    return 24.0


@pytest.fixture
def settings(database_url: str, grace_hours: float) -> Settings:
    """The suite's settings, plus a webhook on loopback and a retry schedule in milliseconds."""
    return Settings(
        database_url=database_url,
        sync_interval_seconds=0.05,
        stale_after_seconds=2.0,
        db_pool_size=5,
        webhook_allow_private=True,
        webhook_retry_schedule=SCHEDULE,
        webhook_timeout_seconds=2.0,
        webhook_secret_grace_hours=grace_hours,
        relay_idle_poll_seconds=0.02,
        relay_lease_seconds=10.0,
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def start_relay(store: Store, settings: Settings, clock: Clock) -> Iterator[StartRelay]:
    """Start a relay (on the app's store unless given another, with settings changed as asked)."""
    relays: list[Relay] = []

    def start(on: Store | None = None, **changes: Any) -> Relay:
        relay = Relay(on or store, settings.model_copy(update=changes), clock)
        relays.append(relay)
        relay.start()
        return relay

    yield start
    for relay in relays:
        relay.stop(timeout=10)
