"""GET /v1/kpis/ageing: open receivables at a date by days past due, overall and per segment."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.keys import KeyMaker
from tests.support.ledger import DAY, Entry, naive_ageing, random_ledger, record
from tests.support.problems import assert_problem

AS_OF = date(2025, 3, 31)


def ageing(
    client: TestClient, headers: dict[str, str], as_of: date | None = None, currency: str = "USD"
) -> dict[str, Any]:
    params = {"currency": currency}
    if as_of is not None:
        params["as_of"] = as_of.isoformat()
    answer = client.get("/v1/kpis/ageing", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def edges() -> list[Entry]:
    """Open invoices on each side of every bucket edge, and the cases an ageing gets wrong."""
    entries = [
        Entry(f"edge-{days}", 1_000 + days, AS_OF - 120 * DAY, AS_OF - days * DAY)
        for days in (-10, 0, 1, 30, 31, 60, 61, 90, 91, 119)
    ]
    return [
        *entries,
        # Part paid by as_of, part after: owed at as_of is what the later payment covered too.
        Entry(
            "partly",
            10_000,
            AS_OF - 40 * DAY,
            AS_OF - 10 * DAY,
            ((AS_OF - 5 * DAY, 3_000), (AS_OF + 5 * DAY, 7_000)),
            "net_15",
        ),
        # Paid off since as_of, in two payments after it: open at as_of, closed now.
        Entry(
            "paid-since",
            8_000,
            AS_OF - 70 * DAY,
            AS_OF - 40 * DAY,
            ((AS_OF + DAY, 5_000), (AS_OF + 9 * DAY, 3_000)),
            "net_30",
        ),
        # Paid in full on as_of itself: closed at as_of.
        Entry(
            "paid-on-the-day",
            4_000,
            AS_OF - 70 * DAY,
            AS_OF - 40 * DAY,
            ((AS_OF, 4_000),),
            "net_30",
        ),
        # Still partly open now, with a payment before as_of only.
        Entry(
            "open-part",
            6_000,
            AS_OF - 20 * DAY,
            AS_OF + 10 * DAY,
            ((AS_OF - DAY, 1_000),),
            "net_30",
        ),
        # Issued after as_of: not owed at it, though open now.
        Entry("later", 5_000, AS_OF + DAY, AS_OF + 31 * DAY, (), "net_30"),
        # Another currency.
        Entry("euro", 9_000, AS_OF - 50 * DAY, AS_OF - 20 * DAY, (), "net_15", currency="EUR"),
        # Paid long before as_of.
        Entry("settled", 2_500, AS_OF - 100 * DAY, AS_OF - 70 * DAY, ((AS_OF - 80 * DAY, 2_500),)),
    ]


def test_invoices_fall_in_the_bucket_of_their_days_past_due(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    record(store, edges())
    body = ageing(client, make_key("reports:read"), AS_OF)
    counted = {name: tally["count"] for name, tally in body["buckets"].items()}
    # -10 and 0 and open-part are current; partly is 10 days past due, paid-since 40.
    assert counted == {"current": 3, "1_30": 3, "31_60": 3, "61_90": 2, "over_90": 2}
    assert body["buckets"]["current"]["sum"] == {"amount": 990 + 1_000 + 5_000, "currency": "USD"}
    assert body["buckets"]["1_30"]["sum"]["amount"] == 1_001 + 1_030 + 7_000
    assert body == naive_ageing(edges(), AS_OF, "USD")


def test_segments_are_the_stamped_ones_and_unrouted_history_is_null(
    client: TestClient, store: Store, make_key: KeyMaker
) -> None:
    record(store, edges())
    body = ageing(client, make_key("reports:read"), AS_OF)
    assert [item["segment"] for item in body["segments"]] == ["net_15", "net_30", None]
    net_30 = body["segments"][1]
    assert net_30["total"] == {"count": 2, "sum": {"amount": 13_000, "currency": "USD"}}
    assert net_30["buckets"]["31_60"]["count"] == 1
    euro = ageing(client, make_key("reports:read"), AS_OF, "EUR")
    assert euro["total"]["sum"] == {"amount": 9_000, "currency": "EUR"}
    assert [item["segment"] for item in euro["segments"]] == ["net_15"]


@pytest.mark.parametrize("seed", [1, 2])
def test_ageing_matches_a_naive_computation_on_random_history(
    client: TestClient, store: Store, make_key: KeyMaker, seed: int
) -> None:
    entries = random_ledger(seed, 400, AS_OF)
    record(store, entries)
    headers = make_key("reports:read")
    for as_of in (AS_OF - 150 * DAY, AS_OF - 31 * DAY, AS_OF, AS_OF + 60 * DAY, AS_OF + 400 * DAY):
        for currency in ("USD", "EUR"):
            assert ageing(client, headers, as_of, currency) == naive_ageing(
                entries, as_of, currency
            )


def test_as_of_defaults_to_today_by_the_service_clock(
    client: TestClient, store: Store, make_key: KeyMaker, clock: Clock
) -> None:
    clock.shift = (AS_OF - clock.today()) + clock.shift
    record(store, edges())
    body = ageing(client, make_key("reports:read"))
    assert body["as_of"] == AS_OF.isoformat()
    assert body == naive_ageing(edges(), AS_OF, "USD")


def test_an_empty_store_ages_nothing(client: TestClient, make_key: KeyMaker) -> None:
    body = ageing(client, make_key("reports:read"), AS_OF)
    assert body["total"] == {"count": 0, "sum": {"amount": 0, "currency": "USD"}}
    assert body["segments"] == []


@pytest.mark.parametrize("as_of", [date.min, date.max])
def test_the_ends_of_the_calendar_are_answered(
    client: TestClient, store: Store, make_key: KeyMaker, as_of: date
) -> None:
    record(store, edges())
    body = ageing(client, make_key("reports:read"), as_of)
    assert body == naive_ageing(edges(), as_of, "USD")


def test_ageing_needs_reports_read(client: TestClient, make_key: KeyMaker) -> None:
    url = "/v1/kpis/ageing?currency=USD"
    assert_problem(client.get(url), 401, "unauthenticated")
    assert_problem(client.get(url, headers=make_key("invoices:read")), 403, "forbidden")
    assert client.get(url, headers=make_key("admin")).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "currency=usd",
        "currency=XYZ",
        "currency=USD&as_of=2025-02-30",
        "currency=USD&as_of=yesterday",
        "currency=USD&as_of=10000-01-01",
        "currency=" + "U" * 5000,
    ],
)
def test_bad_queries_are_422(client: TestClient, make_key: KeyMaker, query: str) -> None:
    answer = client.get(f"/v1/kpis/ageing?{query}", headers=make_key("reports:read"))
    body = assert_problem(answer, 422, "invalid")
    assert body["errors"]
