"""Fixtures of the invoice tests: loopback webhooks allowed, and a billing key."""

from __future__ import annotations

import pytest

from app.core.config import Settings
from tests.support.keys import KeyMaker


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks may point at loopback here: nothing these tests set up ever leaves the machine."""
    return settings.model_copy(update={"webhook_allow_private": True})


@pytest.fixture
def billing(make_key: KeyMaker) -> dict[str, str]:
    return make_key("invoices:write", "invoices:read", name="billing")
