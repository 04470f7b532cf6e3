"""The forecast kept each night, set beside what was then paid (GET /v1/forecasts/cash/accuracy),
and the gauges: expected cash for the next 4 weeks, and the forecast of 28 days ago against what
was paid since."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.core.clock import Clock
from app.core.store import Store
from app.forecasts import record
from tests.support.forecasts import Ledger, history, pay_later

MADE_ON = date(2025, 6, 30)


def scraped(client: TestClient, name: str) -> dict[tuple[str, ...], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        tuple(sample.labels.values()): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == name
    }


def ledger_of(store: Store) -> Ledger:
    ledger = Ledger()
    history(ledger, "c-1", 3, date(2024, 9, 1), 8)
    ledger.invoice("c-1", 40_000, date(2025, 6, 1))  # inv-0009, due 2025-07-01
    ledger.invoice("c-2", 20_000, date(2025, 6, 20))  # inv-0010
    ledger.write(store)
    return ledger


def test_the_kept_forecast_is_compared_with_what_was_then_paid(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    ledger_of(store)
    assert record.record(store, Clock(), made_on=MADE_ON) == 1
    assert record.record(store, Clock(), made_on=MADE_ON) == 1  # made again: replaced
    pay_later(store, "inv-0009", 40_000, date(2025, 7, 3))
    pay_later(store, "inv-0010", 5_000, date(2025, 7, 20))
    answer = client.get(
        "/v1/forecasts/cash/accuracy",
        params={"from": "2025-06-01", "to": "2025-07-31", "currency": "USD"},
        headers=reports,
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    assert found["from"] == "2025-06-01"
    assert [kept["made_on"] for kept in found["forecasts"]] == ["2025-06-30"]
    kept = found["forecasts"][0]
    then = client.get(
        "/v1/forecasts/cash",
        params={"as_of": "2025-06-30", "currency": "USD", "weeks": 13},
        headers=reports,
    ).json()
    assert kept["open_receivables"] == then["open_receivables"]["amount"] == 60_000
    assert [week["expected"] for week in kept["weeks"]] == [
        week["expected"]["amount"] for week in then["weeks"]
    ]
    assert kept["later"] == then["later"]["amount"]
    actual = [week["actual"] for week in kept["weeks"]]
    assert actual[:4] == [40_000, 0, 5_000, 0]
    assert sum(actual) == 45_000
    expected = [week["expected"] for week in kept["weeks"]]
    wape_1 = abs(expected[0] - 40_000) / 40_000
    assert kept["wape_1"] == round(wape_1, 4)
    assert kept["wape_13"] is not None


def test_weeks_not_over_have_no_actual_yet(
    client: TestClient, store: Store, reports: dict[str, str], clock: Clock
) -> None:
    today = clock.today()
    ledger = Ledger()
    ledger.invoice("c-1", 10_000, today - timedelta(days=10))
    ledger.write(store)
    record.record(store, clock)
    answer = client.get(
        "/v1/forecasts/cash/accuracy",
        params={"from": today.isoformat(), "to": today.isoformat()},
        headers=reports,
    ).json()
    kept = answer["forecasts"][0]
    assert kept["made_on"] == today.isoformat()
    assert {week["actual"] for week in kept["weeks"]} == {None}
    assert kept["wape_1"] is None


def test_an_empty_store_keeps_nothing_and_answers_no_forecasts(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    assert record.record(store, Clock(), made_on=MADE_ON) == 0
    answer = client.get(
        "/v1/forecasts/cash/accuracy",
        params={"from": "2025-01-01", "to": "2025-12-31"},
        headers=reports,
    )
    assert answer.status_code == 200
    assert answer.json()["forecasts"] == []


def test_the_gauges_show_the_next_4_weeks_and_the_forecast_of_28_days_ago(
    client: TestClient, store: Store, reports: dict[str, str], clock: Clock
) -> None:
    today = clock.today()
    ledger = Ledger()
    history(ledger, "c-1", 0, today - timedelta(days=400), 10)
    ledger.invoice("c-1", 70_000, today - timedelta(days=40))
    ledger.write(store)
    past = today - timedelta(days=30)
    record.record(store, clock, made_on=past)
    pay_later(store, "inv-0011", 30_000, past + timedelta(days=2))
    record.refresh_gauges(store, clock)
    ahead = client.get(
        "/v1/forecasts/cash", params={"currency": "USD", "weeks": 4}, headers=reports
    ).json()
    expected = sum(week["expected"]["amount"] for week in ahead["weeks"])
    assert scraped(client, "termsgate_cash_expected_4w")[("USD",)] == expected
    kept = scraped(client, "termsgate_cash_forecast_4w_past")
    assert kept[("USD", "actual")] == 30_000
    assert kept[("USD", "expected")] > 0
