"""GET /v1/kpis/collections-by-owner: the share of each owner's invoicing paid by the due date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.keys import KeyMaker
from tests.support.ledger import DAY, Entry, naive_collections, random_ledger, record
from tests.support.problems import assert_problem

TODAY = date(2025, 3, 31)
URL = "/v1/kpis/collections-by-owner"


@pytest.fixture
def today(clock: Clock) -> date:
    """The service's clock, set to TODAY."""
    clock.shift += TODAY - clock.today()
    return TODAY


def collections(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    answer = client.get(URL, params={"currency": "USD", **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_share_counts_payments_made_by_the_due_date(
    client: TestClient, store: Store, make_key: KeyMaker, today: date
) -> None:
    jan = date(2025, 1, 10)
    due = jan + 30 * DAY
    record(
        store,
        [
            # On time in full, late in full, half on time, never paid.
            Entry("a1", 10_000, jan, due, ((due, 10_000),), owner="ana"),
            Entry("a2", 10_000, jan, due, ((due + DAY, 10_000),), owner="ana"),
            Entry("a3", 20_000, jan, due, ((jan, 10_000), (due + 9 * DAY, 10_000)), owner="ana"),
            Entry("a4", 10_000, jan, due, (), owner="ana"),
            # Due today: not judged yet.
            Entry("a5", 7_000, jan, today, ((jan, 7_000),), owner="ana"),
            # No owner, another currency, issued outside the range: not counted.
            Entry("x1", 10_000, jan, due, ((due, 10_000),)),
            Entry("x2", 10_000, jan, due, ((due, 10_000),), owner="ana", currency="EUR"),
            Entry("x3", 10_000, jan - 30 * DAY, due, ((due, 10_000),), owner="ana"),
        ],
    )
    body = collections(
        client, make_key("reports:read"), **{"from": "2025-01-01", "to": "2025-01-31"}
    )
    assert body == {
        "from": "2025-01-01",
        "to": "2025-01-31",
        "currency": "USD",
        "interval": "month",
        "as_of": "2025-03-31",
        "items": [
            {
                "owner": "ana",
                "period_from": "2025-01-01",
                "period_to": "2025-01-31",
                "invoiced": {"amount": 50_000, "currency": "USD"},
                "collected_by_due": {"amount": 20_000, "currency": "USD"},
                "share": 0.4,
                "invoices": 4,
                "not_yet_due": 1,
            }
        ],
    }


def test_periods_are_calendar_months_or_quarters_cut_to_the_range(
    client: TestClient, store: Store, make_key: KeyMaker, today: date
) -> None:
    record(
        store,
        [
            Entry(
                "b1",
                3_000,
                date(2024, 11, 20),
                date(2024, 12, 20),
                ((date(2024, 12, 1), 1_000),),
                owner="bo",
            ),
            Entry(
                "b2",
                6_000,
                date(2024, 12, 5),
                date(2025, 1, 4),
                ((date(2025, 1, 4), 6_000),),
                owner="bo",
            ),
            Entry("c1", 9_000, date(2025, 2, 28), date(2025, 3, 30), (), owner="cy"),
        ],
    )
    headers = make_key("reports:read")
    monthly = collections(client, headers, **{"from": "2024-11-15", "to": "2025-02-28"})
    assert [(i["owner"], i["period_from"], i["period_to"]) for i in monthly["items"]] == [
        ("bo", "2024-11-15", "2024-11-30"),
        ("bo", "2024-12-01", "2024-12-31"),
        ("cy", "2025-02-01", "2025-02-28"),
    ]
    quarterly = collections(
        client, headers, **{"from": "2024-11-15", "to": "2025-02-28", "interval": "quarter"}
    )
    shown = [(i["owner"], i["period_from"], i["period_to"], i["share"]) for i in quarterly["items"]]
    assert shown == [
        ("bo", "2024-11-15", "2024-12-31", round(7_000 / 9_000, 4)),
        ("cy", "2025-01-01", "2025-02-28", 0.0),
    ]


def test_an_owner_with_nothing_due_yet_has_no_share(
    client: TestClient, store: Store, make_key: KeyMaker, today: date
) -> None:
    record(store, [Entry("d1", 5_000, today, today + 30 * DAY, (), owner="dee")])
    body = collections(
        client, make_key("reports:read"), **{"from": today.isoformat(), "to": today.isoformat()}
    )
    [item] = body["items"]
    assert (item["share"], item["invoices"], item["not_yet_due"]) == (None, 0, 1)
    assert item["invoiced"] == {"amount": 0, "currency": "USD"}


@pytest.mark.parametrize("interval", ["month", "quarter"])
def test_collections_match_a_naive_computation_on_random_history(
    client: TestClient, store: Store, make_key: KeyMaker, today: date, interval: str
) -> None:
    entries = random_ledger(7, 400, TODAY - 30 * DAY)
    record(store, entries)
    headers = make_key("reports:read")
    for start, end in [
        (TODAY - 400 * DAY, TODAY + 100 * DAY),
        (TODAY - 100 * DAY, TODAY - 40 * DAY),
        (date(2024, 12, 31), date(2024, 12, 31)),
    ]:
        for currency in ("USD", "EUR"):
            body = collections(
                client,
                headers,
                **{"from": start.isoformat(), "to": end.isoformat()},
                currency=currency,
                interval=interval,
            )
            assert body["items"] == naive_collections(
                entries, start, end, currency, interval == "quarter", today
            )


def test_the_whole_calendar_is_answered(
    client: TestClient, store: Store, make_key: KeyMaker, today: date
) -> None:
    record(store, [Entry("e1", 5_000, date(9999, 12, 31), date(9999, 12, 31), (), owner="eve")])
    body = collections(
        client,
        make_key("reports:read"),
        **{"from": "0001-01-01", "to": "9999-12-31"},
        interval="quarter",
    )
    assert [(i["period_from"], i["period_to"]) for i in body["items"]] == [
        ("9999-10-01", "9999-12-31")
    ]


def test_collections_need_reports_read(client: TestClient, make_key: KeyMaker) -> None:
    url = f"{URL}?from=2025-01-01&to=2025-01-31&currency=USD"
    assert_problem(client.get(url), 401, "unauthenticated")
    assert_problem(client.get(url, headers=make_key("invoices:write")), 403, "forbidden")
    assert client.get(url, headers=make_key("admin")).status_code == 200


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("from=2025-02-01&to=2025-01-31&currency=USD", ["query", "from"]),
        ("from=2025-01-01&to=2025-01-31&currency=ABC", ["query", "currency"]),
        ("from=2025-01-01&to=2025-01-31", ["query", "currency"]),
        ("to=2025-01-31&currency=USD", ["query", "from"]),
        ("from=2025-01-01&to=2025-13-01&currency=USD", ["query", "to"]),
        ("from=2025-01-01&to=2025-01-31&currency=USD&interval=week", ["query", "interval"]),
    ],
)
def test_bad_queries_are_422(
    client: TestClient, make_key: KeyMaker, query: str, loc: list[str]
) -> None:
    body = assert_problem(
        client.get(f"{URL}?{query}", headers=make_key("reports:read")), 422, "invalid"
    )
    assert loc in [error["loc"] for error in body["errors"]]
