"""What the forecast tests share: a reports key (their books: tests/support/forecasts.py)."""

from __future__ import annotations

import pytest

from tests.support.keys import KeyMaker


@pytest.fixture
def reports(make_key: KeyMaker) -> dict[str, str]:
    return make_key("reports:read", name="finance")
