"""GET /v1/kpis/dso/trend: every period as GET /v1/kpis/dso would measure it, JSON or CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from app.kpis.periods import Period, calendar_periods
from tests.support.books import Books, tricky

FIGURES = (
    "days", "credit_sales", "receivables_end", "current_receivables", "dso",
    "best_possible_dso", "add",
)  # fmt: skip


def get_trend(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/kpis/dso/trend", params={"currency": "USD", **query}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize("interval", ["month", "quarter"])
def test_each_period_is_its_own_dso_overall_and_per_segment(
    client: TestClient, store: Store, reports: dict[str, str], interval: str
) -> None:
    books = tricky(seed=13)
    books.write(store)

    body = get_trend(
        client, reports, **{"from": "2024-02-10", "to": "2025-07-20"}, interval=interval
    )

    periods = body["periods"]
    assert (periods[0]["from"], periods[-1]["to"]) == ("2024-02-10", "2025-07-20")
    assert len(periods) == (18 if interval == "month" else 7)
    for period in periods:
        start, end = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
        assert period["overall"] == books.dso(start, end)
        assert set(period["segments"]) == {"enterprise", "retail", "wholesale"}
        for key, figures in period["segments"].items():
            assert figures == books.dso(start, end, "USD", key), (start, key)


def test_quarters_are_calendar_quarters_clipped_to_the_span() -> None:
    span = Period(date(2024, 2, 10), date(2024, 11, 5))

    quarters = calendar_periods(span, "quarter")

    assert [(q.start.isoformat(), q.end.isoformat()) for q in quarters] == [
        ("2024-02-10", "2024-03-31"),
        ("2024-04-01", "2024-06-30"),
        ("2024-07-01", "2024-09-30"),
        ("2024-10-01", "2024-11-05"),
    ]


def test_the_trend_as_csv(client: TestClient, store: Store, reports: dict[str, str]) -> None:
    books = Books()
    books.invoice(100_000, date(2025, 1, 10), segment="retail")
    books.invoice(300_000, date(2025, 2, 10), paid=((300_000, date(2025, 2, 11)),))
    books.write(store)
    query = {"from": "2025-01-01", "to": "2025-02-28", "currency": "USD"}

    answer = client.get(
        "/v1/kpis/dso/trend", params=query, headers={**reports, "Accept": "text/csv"}
    )

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["from"], r["scope"], r["segment"]) for r in rows] == [
        ("2025-01-01", "overall", "overall"),
        ("2025-01-01", "segment", "retail"),
        ("2025-02-01", "overall", "overall"),
        ("2025-02-01", "segment", "retail"),
    ]
    assert rows[0]["credit_sales"] == "100000"
    assert rows[0]["dso"] == "31.00"
    assert rows[2]["dso"] == "9.33"  # 100,000 / 300,000 * 28
    assert rows[3]["dso"] == ""  # retail sold nothing in February
    assert rows[3]["receivables_end"] == "100000"


def test_json_unless_csv_is_asked_for(client: TestClient, reports: dict[str, str]) -> None:
    query = {"from": "2025-01-01", "to": "2025-01-31", "currency": "USD"}
    for accept in ("application/json", "*/*", "text/csv;q=0"):
        answer = client.get(
            "/v1/kpis/dso/trend", params=query, headers={**reports, "Accept": accept}
        )
        assert answer.headers["content-type"] == "application/json", accept
        assert answer.json()["interval"] == "month"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2015-01-01", "to": "2025-01-01"}, "to"),
        ({"from": "2025-01-01", "to": "2025-01-31", "interval": "week"}, "interval"),
        ({"from": "2025-02-01", "to": "2025-01-31"}, "to"),
    ],
)
def test_bad_trend_queries_are_422(
    client: TestClient, reports: dict[str, str], query: dict[str, str], field: str
) -> None:
    answer = client.get("/v1/kpis/dso/trend", params={"currency": "USD", **query}, headers=reports)

    assert answer.status_code == 422
    assert ["query", field] in [error["loc"] for error in answer.json()["errors"]]


def test_ten_years_of_months_are_answered(client: TestClient, reports: dict[str, str]) -> None:
    body = get_trend(client, reports, **{"from": "2015-01-01", "to": "2024-12-31"})

    assert len(body["periods"]) == 120


@pytest.mark.parametrize(
    "query",
    [
        "/v1/kpis/dso/trend?from=9990-01-01&to=9999-12-31&currency=USD&interval=quarter",
        "/v1/kpis/dso/trend?from=2016-02-29&to=2026-02-27&currency=USD",
        "/v1/kpis/dso/trend?from=2016-02-29&to=2026-02-28&currency=USD",
        "/v1/kpis/cei?from=1900-01-01&to=9999-12-31&currency=JPY",
        "/v1/kpis/dso?from=2025-01-01&to=2025-01-01&currency=USD&method=countback&segment=x",
        "/v1/kpis/dso?from=99999-01-01&to=2025-01-01&currency=USD",
        "/v1/kpis/dso?from=&to=2025-01-01&currency=USD",
        "/v1/kpis/dso/trend?from=2025-01-01&to=2025-01-01&currency=%00",
    ],
)
def test_edges_are_answered_without_a_server_error(
    client: TestClient, reports: dict[str, str], query: str
) -> None:
    answer = client.get(query, headers={**reports, "Accept": "text/csv;q=x, */*"})

    assert answer.status_code in (200, 422), answer.text
