"""Tracing tests: the app built after tracing is configured (on unless a module says), spans
kept in memory, webhooks to a real receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.core import tracing
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.deliveries.relay import Relay
from app.main import create_app
from tests.support.deliveries import SCHEDULE, StartRelay
from tests.support.keys import KeyMaker
from tests.support.parts import served
from tests.support.receiver import Receiver
from tests.support.tracing import TRACED


@pytest.fixture
def otel_environ() -> dict[str, str]:
    """The OTEL_* variables the process starts with; a module overrides this to turn it off."""
    return dict(TRACED)


@pytest.fixture
def spans(otel_environ: dict[str, str]) -> Iterator[InMemorySpanExporter]:
    """Every span finished while the test runs (none unless `otel_environ` turns tracing on)."""
    exporter = InMemorySpanExporter()
    tracing.configure(otel_environ, exporter)
    yield exporter
    tracing.shutdown()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks to loopback, retried within milliseconds."""
    return settings.model_copy(
        update={
            "webhook_allow_private": True,
            "webhook_retry_schedule": SCHEDULE,
            "webhook_timeout_seconds": 2.0,
            "relay_idle_poll_seconds": 0.02,
        }
    )


@pytest.fixture
def client(spans: InMemorySpanExporter, settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """The whole app, made after tracing was configured, as `termsgate serve` makes it."""
    with served(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def billing(make_key: KeyMaker) -> dict[str, str]:
    return make_key("invoices:write", "invoices:read", name="billing")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def start_relay(store: Store, settings: Settings, clock: Clock) -> Iterator[StartRelay]:
    relays: list[Relay] = []

    def start(**changes: Any) -> Relay:
        relay = Relay(store, settings.model_copy(update=changes), clock)
        relays.append(relay)
        relay.start()
        return relay

    yield start
    for relay in relays:
        relay.stop(timeout=10)
