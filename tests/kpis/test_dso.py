"""GET /v1/kpis/dso: CONTRACT 9 to the cent, checked against the naive computation."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from app.kpis import dso
from tests.support.books import Books, countback_days, half_up, tricky

USD = "USD"


def get_dso(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/kpis/dso", params={"currency": USD, **query}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_contract_figures_of_a_quarter(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(
        1_000_000, date(2013, 1, 10), date(2013, 2, 9), paid=((1_000_000, date(2013, 2, 1)),)
    )
    books.invoice(
        600_000, date(2013, 2, 20), date(2013, 3, 22), paid=((200_000, date(2013, 3, 1)),)
    )
    books.invoice(245_067, date(2013, 3, 15), date(2013, 4, 14))
    books.write(store)

    body = get_dso(client, reports, **{"from": "2013-01-01", "to": "2013-03-31"})

    assert body == {
        "from": "2013-01-01",
        "to": "2013-03-31",
        "currency": USD,
        "segment": None,
        "method": "standard",
        "days": 90,
        "credit_sales": {"amount": 1_845_067, "currency": USD},
        "receivables_end": {"amount": 645_067, "currency": USD},
        "current_receivables": {"amount": 245_067, "currency": USD},
        "dso": 31.47,  # 645067 / 1845067 * 90 = 31.4655...
        "best_possible_dso": 11.95,  # 245067 / 1845067 * 90 = 11.9539...
        "add": 19.52,
    }


def test_the_fast_formula_matches_the_naive_one_on_tricky_books(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = tricky()
    books.write(store)
    ends = [date(2024, 1, 1) + timedelta(days=days) for days in range(-10, 800, 37)]
    for end in ends:
        start = end - timedelta(days=89)
        for currency in (USD, "EUR"):
            for segment in (None, "retail", "wholesale"):
                query: dict[str, Any] = {"from": start, "to": end, "currency": currency}
                if segment is not None:
                    query["segment"] = segment
                body = get_dso(client, reports, **query)
                expected = books.dso(start, end, currency, segment)
                assert {key: body[key] for key in expected} == expected, (end, segment)


def test_payments_before_the_invoice_and_invoices_after_the_period_count_as_the_contract_says(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    end = date(2025, 6, 30)
    # Issued after `to`, paid before it: neither a sale nor a receivable of the period.
    books.invoice(50_000, date(2025, 7, 3), paid=((50_000, date(2025, 6, 20)),))
    # Paid partly before its own issue date, partly after `to`.
    books.invoice(
        80_000, date(2025, 6, 10), paid=((30_000, date(2025, 6, 1)), (50_000, date(2025, 7, 9)))
    )
    # Paid after `to` in full: owed at `to`, paid today.
    books.invoice(20_000, date(2025, 5, 1), date(2025, 5, 31), paid=((20_000, date(2025, 8, 1)),))
    books.write(store)

    body = get_dso(client, reports, **{"from": "2025-06-01", "to": end})

    assert body["credit_sales"]["amount"] == 80_000
    assert body["receivables_end"]["amount"] == 50_000 + 20_000
    assert body["current_receivables"]["amount"] == 50_000  # the May invoice is past due
    assert body["dso"] == 26.25  # 70000 / 80000 * 30
    assert body == {**body, **books.dso(date(2025, 6, 1), end)}


def test_no_credit_sales_means_no_dso(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(10_000, date(2025, 1, 5))
    books.write(store)

    body = get_dso(client, reports, **{"from": "2025-03-01", "to": "2025-03-31"})

    assert body["receivables_end"]["amount"] == 10_000
    assert (body["dso"], body["best_possible_dso"], body["add"]) == (None, None, None)


def test_dso_rounds_half_up_from_the_exact_ratio(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    # Sold 800 over 1 day, 1 still owed: 1 / 800 * 1 = 0.00125 -> 0.00; 4 owed: 0.005 -> 0.01.
    books.invoice(796, date(2025, 1, 1), paid=((796, date(2025, 1, 1)),))
    books.invoice(4, date(2025, 1, 1), date(2025, 1, 1))
    books.write(store)

    body = get_dso(client, reports, **{"from": "2025-01-01", "to": "2025-01-01"})

    assert body["dso"] == 0.01  # exactly 0.005: half up, where float division gives 0.00
    assert half_up(Fraction(4, 800)) == 0.01


def test_countback_walks_back_through_monthly_sales(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(300_000, date(2025, 1, 15))  # January: 300,000, all owed
    books.invoice(100_000, date(2025, 2, 10))  # February: 100,000, all owed
    books.invoice(400_000, date(2025, 3, 5), paid=((300_000, date(2025, 3, 20)),))
    books.invoice(200_000, date(2025, 3, 12), date(2025, 4, 30))  # not due at `to`
    books.write(store)
    # At 2025-03-15: owed 300,000 + 100,000 + 400,000 + 200,000 = 1,000,000. March 1-15 sold
    # 600,000 (15 days), February 100,000 (28 days), January's 300,000 covers the last
    # 300,000 exactly: 31 days. Current: 200,000 + 400,000 = 600,000 -> the 15 March days.

    body = get_dso(
        client, reports, **{"from": "2025-03-01", "to": "2025-03-15"}, method="countback"
    )

    assert body["method"] == "countback"
    assert body["receivables_end"]["amount"] == 1_000_000
    assert body["dso"] == 15 + 28 + 31
    assert body["best_possible_dso"] == 15.0
    assert body["add"] == 59.0
    assert body["dso"] == half_up(countback_days(books, date(2025, 3, 15), 1_000_000))


def test_countback_takes_the_last_month_in_part(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = tricky(seed=11)
    books.write(store)
    for end in (date(2024, 6, 30), date(2024, 9, 17), date(2025, 2, 28), date(2025, 8, 1)):
        body = get_dso(client, reports, **{"from": end, "to": end}, method="countback")
        owed = books.receivables(end, USD, None)
        current = books.receivables(end, USD, None, current=True)
        assert body["dso"] == half_up(countback_days(books, end, owed)), end
        assert body["best_possible_dso"] == half_up(countback_days(books, end, current)), end


def test_nothing_owed_is_a_countback_of_zero_days(
    client: TestClient, reports: dict[str, str]
) -> None:
    body = get_dso(
        client, reports, **{"from": "2025-01-01", "to": "2025-01-31"}, method="countback"
    )

    assert (body["dso"], body["best_possible_dso"], body["add"]) == (0.0, 0.0, 0.0)


def test_a_segment_is_only_its_own_invoices(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(100_000, date(2025, 4, 1), segment="retail")
    books.invoice(
        300_000, date(2025, 4, 2), segment="wholesale", paid=((300_000, date(2025, 4, 5)),)
    )
    books.invoice(500_000, date(2025, 4, 3))  # imported history: no segment
    books.write(store)
    period = {"from": "2025-04-01", "to": "2025-04-30"}

    retail = get_dso(client, reports, **period, segment="retail")
    overall = get_dso(client, reports, **period)

    assert (retail["segment"], retail["dso"]) == ("retail", 30.0)
    assert overall["credit_sales"]["amount"] == 900_000
    assert overall["dso"] == 20.0  # 600,000 / 900,000 * 30


def test_the_python_entry_point_answers_the_same(store: Store) -> None:
    books = tricky(seed=3, count=60)
    books.write(store)
    with store.reading() as session:
        found = dso.standard(session, date(2024, 3, 1), date(2024, 5, 31), USD)
    expected = books.dso(date(2024, 3, 1), date(2024, 5, 31))
    assert expected["dso"] is not None, "the books must have sales in the period"
    assert found.credit_sales == expected["credit_sales"]["amount"]  # type: ignore[index]
    assert found.receivables_end == expected["receivables_end"]["amount"]  # type: ignore[index]
    assert found.dso is not None
    assert float(found.dso) == expected["dso"]
    assert found.best_possible_dso is not None
    assert float(found.best_possible_dso) == expected["best_possible_dso"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2025-02-01", "to": "2025-01-31"}, "to"),
        ({"from": "1899-12-31", "to": "2025-01-31"}, "from"),
        ({"from": "2025-02-30", "to": "2025-03-31"}, "from"),
        ({"from": "2025-01-01", "to": "2025-01-31", "currency": "XYZ"}, "currency"),
        ({"from": "2025-01-01", "to": "2025-01-31", "currency": "usd"}, "currency"),
        ({"from": "2025-01-01", "to": "2025-01-31", "segment": "Retail!"}, "segment"),
        ({"from": "2025-01-01", "to": "2025-01-31", "segment": "nobody"}, "segment"),
        ({"from": "2025-01-01", "to": "2025-01-31", "method": "median"}, "method"),
        ({"to": "2025-01-31"}, "from"),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "from"),
    ],
)
def test_bad_queries_are_422_problems(
    client: TestClient, reports: dict[str, str], query: dict[str, str], field: str
) -> None:
    answer = client.get("/v1/kpis/dso", params={"currency": USD, **query}, headers=reports)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert ["query", field] in [error["loc"] for error in answer.json()["errors"]]


def test_the_widest_period_is_answered(client: TestClient, reports: dict[str, str]) -> None:
    for method in ("standard", "countback"):
        body = get_dso(client, reports, **{"from": "1900-01-01", "to": "9999-12-31"}, method=method)
        assert body["days"] == (date(9999, 12, 31) - date(1900, 1, 1)).days + 1


def test_a_deleted_segment_still_on_invoices_is_known(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(100_000, date(2025, 4, 1), segment="gone")
    books.write(store)

    body = get_dso(client, reports, **{"from": "2025-04-01", "to": "2025-04-30"}, segment="gone")

    assert body["dso"] == 30.0


def test_dso_needs_reports_read(client: TestClient, make_key: Any) -> None:
    query = {"from": "2025-01-01", "to": "2025-01-31", "currency": USD}
    assert client.get("/v1/kpis/dso", params=query).status_code == 401
    checkout = make_key("terms:read")
    assert client.get("/v1/kpis/dso", params=query, headers=checkout).status_code == 403


def test_countback_steps_over_months_without_sales(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = Books()
    books.invoice(100_000, date(2025, 1, 10))
    books.invoice(50_000, date(2030, 6, 20), paid=((50_000, date(2030, 6, 21)),))
    books.write(store)

    # On 2030-06-15: every day back to 2025-01-01; January's sales cover what is owed whole.
    end = date(2030, 6, 15)
    body = get_dso(client, reports, **{"from": end, "to": end}, method="countback")
    assert body["dso"] == float((end - date(2024, 12, 31)).days)
    # On 9999-12-31: June 2030's 50,000 sales count whole, then January 2025 half (50,000 of
    # 100,000): every day back to 2025-02-01, plus 15.5.
    end = date(9999, 12, 31)
    body = get_dso(client, reports, **{"from": end, "to": end}, method="countback")
    assert body["dso"] == (end - date(2025, 1, 31)).days + 15.5
    assert body["dso"] == half_up(countback_days(books, end, 100_000))
