"""Fixtures of the contact loop tests: loopback webhooks allowed, and the keys of billing, a
collector, finance and ops."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from tests.support.contacts import watch_segment
from tests.support.invoices import set_webhook
from tests.support.keys import KeyMaker


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks may point at loopback here: nothing these tests set up ever leaves the machine."""
    return settings.model_copy(update={"webhook_allow_private": True})


@pytest.fixture
def billing(make_key: KeyMaker) -> dict[str, str]:
    return make_key("invoices:write", "invoices:read", name="billing")


@pytest.fixture
def collector(make_key: KeyMaker) -> dict[str, str]:
    return make_key("collections:write", name="collector")


@pytest.fixture
def finance(make_key: KeyMaker) -> dict[str, str]:
    return make_key("exceptions:approve", name="finance")


@pytest.fixture
def watched(client: TestClient, ops: dict[str, str]) -> None:
    """The watch segment exists and its workflow (net_30) takes events."""
    watch_segment(client, ops)
    set_webhook(client, ops, "net_30")
