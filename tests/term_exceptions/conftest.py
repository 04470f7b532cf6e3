"""Fixtures of the term exception tests: sales, finance and billing keys, a receiver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.config import Settings
from tests.support.keys import KeyMaker
from tests.support.receiver import Receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks may point at loopback, and a relay here waits little between idle turns."""
    return settings.model_copy(
        update={
            "webhook_allow_private": True,
            "webhook_retry_schedule": [0.05, 0.1, 0.2],
            "webhook_timeout_seconds": 2.0,
            "relay_idle_poll_seconds": 0.02,
            "relay_lease_seconds": 10.0,
        }
    )


@pytest.fixture
def sales(make_key: KeyMaker) -> dict[str, str]:
    return make_key("exceptions:request", name="sales")


@pytest.fixture
def finance(make_key: KeyMaker) -> dict[str, str]:
    return make_key("exceptions:approve", name="finance")


@pytest.fixture
def billing(make_key: KeyMaker) -> dict[str, str]:
    return make_key("invoices:write", name="billing")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running
