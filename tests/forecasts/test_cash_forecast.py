"""The weekly cash forecast and the per-invoice list: point in time, adding up to the open
receivables exactly, conditioned on lateness, promises and disputes, and refusing bad input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.forecasts import Ledger, history, pay_later
from tests.support.keys import KeyMaker

AS_OF = date(2025, 6, 30)


def forecast(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/forecasts/cash", params={"currency": "USD", **query}, headers=headers)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def invoices(client: TestClient, headers: dict[str, str], **query: Any) -> list[dict[str, Any]]:
    """Every page of the per-invoice list."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {**query, **({"cursor": cursor} if cursor else {})}
        answer = client.get("/v1/forecasts/cash/invoices", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def books(store: Store) -> Ledger:
    """Three customers with a history and open invoices at AS_OF: one early payer, one 20
    days late, one new; partial payments, overdue invoices, one in EUR."""
    ledger = Ledger()
    history(ledger, "early", -5, date(2024, 6, 1), 12)
    history(ledger, "late", 20, date(2024, 6, 1), 12)
    ledger.invoice("early", 12_345, date(2025, 6, 10))
    ledger.invoice("early", 7_777, date(2025, 5, 1), paid=((1_000, date(2025, 6, 1)),))
    ledger.invoice("late", 99_999, date(2025, 4, 20))  # due 2025-05-20: 41 days late
    ledger.invoice("late", 50_001, date(2025, 6, 25))
    ledger.invoice("new", 33_333, date(2025, 6, 29))
    ledger.invoice("new", 44_444, date(2025, 6, 29), currency="EUR")
    ledger.invoice("early", 5_000, date(2025, 7, 2))  # issued after AS_OF
    ledger.write(store)
    return ledger


def test_an_empty_store_answers_zeros(client: TestClient, reports: dict[str, str]) -> None:
    found = forecast(client, reports, as_of="2025-06-30", weeks=4)
    assert found["open_receivables"] == {"amount": 0, "currency": "USD"}
    assert found["later"] == {"amount": 0, "currency": "USD"}
    assert [week["expected"]["amount"] for week in found["weeks"]] == [0, 0, 0, 0]
    assert found["weeks"][0]["from"] == "2025-07-01"
    assert found["weeks"][0]["to"] == "2025-07-07"
    assert invoices(client, reports, as_of="2025-06-30") == []
    today = forecast(client, reports)
    assert len(today["weeks"]) == 13


@pytest.mark.parametrize("weeks", [1, 4, 13, 52])
def test_weeks_and_later_add_up_to_the_open_receivables(
    client: TestClient, store: Store, reports: dict[str, str], weeks: int
) -> None:
    books(store)
    found = forecast(client, reports, as_of=AS_OF.isoformat(), weeks=weeks)
    owed = 12_345 + 6_777 + 99_999 + 50_001 + 33_333
    assert found["open_receivables"]["amount"] == owed
    expected = [week["expected"]["amount"] for week in found["weeks"]]
    assert len(expected) == weeks
    assert sum(expected) + found["later"]["amount"] == owed
    dso = client.get(
        "/v1/kpis/dso",
        params={"from": "2025-04-01", "to": AS_OF.isoformat(), "currency": "USD"},
        headers=reports,
    ).json()
    assert dso["receivables_end"]["amount"] == owed
    euro = forecast(client, reports, as_of=AS_OF.isoformat(), weeks=weeks, currency="EUR")
    assert euro["open_receivables"]["amount"] == 44_444
    assert sum(w["expected"]["amount"] for w in euro["weeks"]) + euro["later"]["amount"] == 44_444


def test_a_payment_after_as_of_changes_nothing(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    """Payments, invoices, promises and disputes dated after as_of (on open invoices, and as
    another customer's behaviour) leave the answer for as_of exactly as it was."""
    ledger = books(store)
    before = forecast(client, reports, as_of=AS_OF.isoformat(), weeks=13)
    listed = invoices(client, reports, as_of=AS_OF.isoformat())
    pay_later(store, "inv-0027", 99_999, AS_OF + timedelta(days=1))  # the late one, in full
    pay_later(store, "inv-0028", 10_000, AS_OF + timedelta(days=3))
    history(ledger, "other", -20, AS_OF + timedelta(days=1), 3)  # a pattern, after as_of
    ledger.promise("inv-0028", "late", 40_001, date(2025, 7, 3), made_on=AS_OF + timedelta(1))
    ledger.dispute("inv-0026", "early", 6_777, opened_on=AS_OF + timedelta(days=1))
    ledger.write(store)
    assert forecast(client, reports, as_of=AS_OF.isoformat(), weeks=13) == before
    assert invoices(client, reports, as_of=AS_OF.isoformat()) == listed
    today = forecast(client, reports, weeks=13)  # today, they all count
    assert today["open_receivables"]["amount"] < before["open_receivables"]["amount"]


def test_an_overdue_invoice_is_expected_after_as_of_from_its_customers_pattern(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books(store)
    listed = {item["invoice_id"]: item for item in invoices(client, reports, as_of="2025-06-30")}
    late = listed["inv-0027"]
    assert late["outstanding"] == 99_999
    assert late["due_on"] == "2025-05-20"
    assert late["expected_paid_on"] > "2025-06-30"
    assert "41 days past due" in late["basis"]
    early = listed["inv-0025"]  # due 2025-07-10; its customer pays 5 days early as a rule
    later = listed["inv-0028"]  # due 2025-07-25; its customer pays 20 days late as a rule
    assert "median -5 days late" in early["basis"]
    assert "median 20 days late" in later["basis"]
    assert early["expected_paid_on"] < "2025-07-25" < later["expected_paid_on"]
    new = listed["inv-0029"]
    assert "no payments" in new["basis"]
    assert listed["inv-0026"]["outstanding"] == 6_777
    assert "inv-0031" not in listed  # issued after as_of
    only = invoices(client, reports, as_of="2025-06-30", customer_id="late", limit=1)
    assert [item["invoice_id"] for item in only] == ["inv-0027", "inv-0028"]


def test_a_promise_counts_at_the_kept_rate_and_a_dispute_says_so(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    ledger = books(store)
    ledger.promise("inv-0028", "late", 50_001, date(2025, 7, 2), made_on=date(2025, 6, 28))
    ledger.dispute("inv-0025", "early", 12_345, opened_on=date(2025, 6, 20))
    ledger.write(store)
    listed = {item["invoice_id"]: item for item in invoices(client, reports, as_of="2025-06-30")}
    assert "open promise to pay 50001 on 2025-07-02" in listed["inv-0028"]["basis"]
    assert "kept rate of 50%" in listed["inv-0028"]["basis"]
    assert "open dispute" in listed["inv-0025"]["basis"]
    found = forecast(client, reports, as_of="2025-06-30", weeks=2)
    assert found["weeks"][0]["expected"]["amount"] >= 25_000  # half the promise, at least


def test_a_segment_is_only_its_own_invoices(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    ledger = Ledger()
    ledger.invoice("c-1", 1_000, date(2025, 6, 1), segment="net_30")
    ledger.invoice("c-2", 2_000, date(2025, 6, 1))
    ledger.write(store)
    found = forecast(client, reports, as_of="2025-06-30", segment="net_30")
    assert found["segment"] == "net_30"
    assert found["open_receivables"]["amount"] == 1_000


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/v1/forecasts/cash", {"currency": "USD", "weeks": "0"}, "weeks"),
        ("/v1/forecasts/cash", {"currency": "USD", "weeks": "53"}, "weeks"),
        ("/v1/forecasts/cash", {"currency": "ZZZ"}, "currency"),
        ("/v1/forecasts/cash", {"currency": "USD", "segment": "nope"}, "segment"),
        ("/v1/forecasts/cash", {"currency": "USD", "as_of": "2999-01-01"}, "as_of"),
        ("/v1/forecasts/cash", {}, "currency"),
        ("/v1/forecasts/cash/invoices", {"as_of": "2999-01-01"}, "as_of"),
        ("/v1/forecasts/cash/invoices", {"limit": "0"}, "limit"),
        ("/v1/forecasts/cash/invoices", {"cursor": "!!"}, "cursor"),
        ("/v1/forecasts/cash/accuracy", {"from": "2025-02-01", "to": "2025-01-01"}, "to"),
        ("/v1/forecasts/cash/accuracy", {"from": "2025-01-01"}, "to"),
        ("/v1/forecasts/cash/accuracy", {"from": "2025-01-01", "to": "2025-01-02",
                                         "currency": "ZZZ"}, "currency"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_naming_the_parameter(
    client: TestClient, reports: dict[str, str], path: str, query: dict[str, str], field: str
) -> None:
    answer = client.get(path, params=query, headers=reports)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert any(error["loc"][-1] == field for error in answer.json()["errors"])


def test_the_forecast_needs_reports_read(client: TestClient, make_key: KeyMaker) -> None:
    checkout = make_key("terms:read")
    answer = client.get("/v1/forecasts/cash", params={"currency": "USD"}, headers=checkout)
    assert answer.status_code == 403
