"""The shortcut for single routes under a rate limit (app/http/shortcut.py): a refusal drawn
and counted once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import RateLimit, Settings
from app.core.keys import INVOICES_WRITE
from tests.support.invoices import invoice, route


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """invoices:write at two requests at once, then one an hour: the third is refused."""
    limits = {**settings.rate_limits, INVOICES_WRITE: RateLimit(per_second=1 / 3600, burst=2)}
    return settings.model_copy(update={"rate_limits": limits, "webhook_allow_private": True})


def test_a_route_over_the_rate_limit_is_refused_once_and_counted_once(
    client: TestClient, billing: dict[str, str]
) -> None:
    """Through the app's own edge: the shortcut draws from the bucket, and answers the 429
    itself (handing it on would draw, and count the refusal, twice)."""
    for number in (1, 2):
        route(client, billing, invoice(f"inv-{number}"))
    before = _refused(client)
    answer = client.post("/v1/invoice-routes", json=invoice("inv-3"), headers=billing)
    assert answer.status_code == 429
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json()["instance"].endswith(answer.headers["x-request-id"])
    assert _refused(client) == before + 1
    bad = client.post("/v1/invoice-routes", json=invoice("inv-4", amount=-1), headers=billing)
    assert bad.status_code == 429  # the key check (and its bucket) comes before the body's


def _refused(client: TestClient) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("termsgate_rate_limited_total") and INVOICES_WRITE in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0
