"""termsgate_dso_days and termsgate_receivables_open: refreshed on a schedule, read by scrapes."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.core import metrics, periodic
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.kpis import gauges
from app.main import CHORES_AFTER_SECONDS
from tests.support.books import Books
from tests.support.harness import visible_by, within


def scraped(client: TestClient, name: str) -> dict[tuple[str, str], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        (sample.labels["currency"], sample.labels["segment"]): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == name
    }


def test_the_gauges_show_the_last_90_days_after_a_refresh(
    client: TestClient, store: Store, clock: Clock
) -> None:
    today = clock.today()
    books = Books()
    books.invoice(900_000, today - timedelta(days=100), segment="retail")  # before the window
    books.invoice(300_000, today - timedelta(days=10), segment="retail")
    books.invoice(600_000, today - timedelta(days=20), paid=((600_000, today),))
    books.invoice(45_000, today - timedelta(days=5), currency="EUR", segment="wholesale")
    books.write(store)

    gauges.refresh(store, clock)

    dso = scraped(client, "termsgate_dso_days")
    owed = scraped(client, "termsgate_receivables_open")
    assert dso[("USD", "all")] == books.dso(today - timedelta(days=89), today)["dso"]
    assert dso[("USD", "all")] == 120.0  # 1,200,000 owed / 900,000 sold in the window * 90
    assert dso[("USD", "retail")] == 360.0  # 1,200,000 / 300,000 * 90
    assert dso[("EUR", "wholesale")] == dso[("EUR", "all")] == 90.0
    assert owed[("USD", "all")] == 1_200_000
    assert owed[("USD", "retail")] == 1_200_000
    assert owed[("EUR", "all")] == 45_000


def test_dso_is_nan_where_nothing_was_sold_in_the_window(
    client: TestClient, store: Store, clock: Clock
) -> None:
    books = Books()
    books.invoice(70_000, clock.today() - timedelta(days=200), currency="CHF")
    books.write(store)

    gauges.refresh(store, clock)

    assert math.isnan(scraped(client, "termsgate_dso_days")[("CHF", "all")])
    assert scraped(client, "termsgate_receivables_open")[("CHF", "all")] == 70_000


def test_an_unreachable_store_keeps_the_last_values(tmp_path: Path, clock: Clock) -> None:
    metrics.RECEIVABLES_OPEN.labels(currency="JPY", segment="all").set(1234)
    gone = Store(Settings(database_url=f"sqlite:///{tmp_path}/missing/dir/termsgate.db"))

    async def a_few_turns() -> None:
        refresher = asyncio.create_task(periodic.every(0.01, gauges.refresh, gone, clock))
        await asyncio.sleep(0.2)
        assert not refresher.done()  # it survives the outage and keeps trying
        refresher.cancel()

    asyncio.run(a_few_turns())

    assert metrics.RECEIVABLES_OPEN.labels(currency="JPY", segment="all")._value.get() == 1234
    gone.dispose()


def test_a_started_app_refreshes_the_gauges_soon_after_start_up(
    client: TestClient, store: Store, clock: Clock
) -> None:
    """Nobody calls refresh here: the app's own first refresh comes CHORES_AFTER_SECONDS after
    start-up (which it leaves to the first snapshot and requests), not a refresh interval
    (60 s) later."""
    books = Books()
    books.invoice(70_013, clock.today() - timedelta(days=10), currency="NOK")
    books.write(store)

    owed = visible_by(
        within(CHORES_AFTER_SECONDS + 10),
        lambda: scraped(client, "termsgate_receivables_open"),
        lambda seen: seen.get(("NOK", "all")) == 70_013,
        "the open receivables gauge, refreshed by the app after start-up",
    )
    assert owed[("NOK", "all")] == 70_013
