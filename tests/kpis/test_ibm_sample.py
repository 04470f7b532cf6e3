"""IBM's accounts-receivable sample, imported as it is (tests/support/ibm.py's reading): DSO,
countback and CEI as the raw CSV says they are. Every expected figure is worked out here from
the raw file with csv and Decimal, nothing from termsgate but the route under test."""

from __future__ import annotations

import csv
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from app.history.importer import import_file
from tests.support import ibm

PERIODS = [
    (date(2013, 1, 1), date(2013, 3, 31)),
    (date(2013, 4, 1), date(2013, 6, 30)),
    (date(2013, 7, 1), date(2013, 9, 30)),
    (date(2013, 10, 1), date(2013, 12, 31)),
    (date(2012, 1, 1), date(2012, 12, 31)),
    (date(2013, 6, 1), date(2013, 6, 30)),
    (date(2012, 8, 17), date(2013, 2, 3)),
]


@dataclass(frozen=True)
class Row:
    cents: int
    issued_on: date
    due_on: date
    settled_on: date | None


def raw_rows() -> list[Row]:
    def day(text: str) -> date:
        return datetime.strptime(text, "%m/%d/%Y").date()

    with ibm.SAMPLE.open(newline="") as raw:
        return [
            Row(
                int(Decimal(row["InvoiceAmount"]) * 100),
                day(row["InvoiceDate"]),
                day(row["DueDate"]),
                day(row["SettledDate"]) if row["SettledDate"].strip() else None,
            )
            for row in csv.DictReader(raw)
        ]


def sold(rows: list[Row], start: date, end: date) -> int:
    return sum(r.cents for r in rows if start <= r.issued_on <= end)


def owed(rows: list[Row], end: date, *, current: bool = False) -> int:
    """Each invoice is settled once, in full: owed at `end` if issued by then, not yet settled."""
    return sum(
        r.cents
        for r in rows
        if r.issued_on <= end
        and (r.settled_on is None or r.settled_on > end)
        and (not current or r.due_on >= end)
    )


def two_places(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture
def rows(store: Store) -> list[Row]:
    import_file(store, ibm.SAMPLE, "cli:tester", reading=ibm.READING)
    return raw_rows()


def get(client: TestClient, headers: dict[str, str], route: str, **query: Any) -> dict[str, Any]:
    answer = client.get(route, params={"currency": "USD", **query}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_dso_of_quarters_a_year_and_a_month(
    client: TestClient, reports: dict[str, str], rows: list[Row]
) -> None:
    for start, end in PERIODS:
        body = get(client, reports, "/v1/kpis/dso", **{"from": start, "to": end})
        days = (end - start).days + 1
        sales, receivables = sold(rows, start, end), owed(rows, end)
        current = owed(rows, end, current=True)
        assert sales > 0
        assert body["credit_sales"]["amount"] == sales, start
        assert body["receivables_end"]["amount"] == receivables, start
        assert body["dso"] == two_places(Decimal(receivables) * days / Decimal(sales)), start
        assert body["best_possible_dso"] == two_places(Decimal(current) * days / Decimal(sales))


def test_the_2013_quarterly_trend_matches_the_raw_file(
    client: TestClient, reports: dict[str, str], rows: list[Row]
) -> None:
    body = get(
        client,
        reports,
        "/v1/kpis/dso/trend",
        **{"from": "2013-01-01", "to": "2013-12-31"},
        interval="quarter",
    )

    dsos = [period["overall"]["dso"] for period in body["periods"]]
    assert dsos == [
        two_places(Decimal(owed(rows, end)) * ((end - start).days + 1) / sold(rows, start, end))
        for start, end in PERIODS[:4]
    ]


def test_countback_at_the_end_of_june_2013(
    client: TestClient, reports: dict[str, str], rows: list[Row]
) -> None:
    end = date(2013, 6, 30)
    left = Decimal(owed(rows, end))
    days = Decimal(0)
    first, last = date(2013, 6, 1), end
    while left > 0:  # whole months back from June until the receivables are used up
        month_sales = sold(rows, first, last)
        length = (last - first).days + 1
        if month_sales >= left:
            days += left / month_sales * length
            break
        days += length
        left -= month_sales
        last = first - timedelta(days=1)
        first = last.replace(day=1)
        assert last.day == monthrange(last.year, last.month)[1]

    body = get(
        client, reports, "/v1/kpis/dso", **{"from": "2013-04-01", "to": end}, method="countback"
    )

    assert body["dso"] == two_places(days)
    assert 0 < body["dso"] < 60


def test_cei_of_the_third_quarter_of_2013(
    client: TestClient, reports: dict[str, str], rows: list[Row]
) -> None:
    start, end = date(2013, 7, 1), date(2013, 9, 30)
    begin = owed(rows, start - timedelta(days=1))
    sales = sold(rows, start, end)
    final, current = owed(rows, end), owed(rows, end, current=True)

    body = get(client, reports, "/v1/kpis/cei", **{"from": start, "to": end})

    assert body["collected"]["amount"] == begin + sales - final
    expected = Decimal(begin + sales - final) * 100 / Decimal(begin + sales - current)
    assert body["cei"] == two_places(expected)
