"""GET /v1/kpis/cei: collection effectiveness from the receivables at both ends of a period."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.books import Books, half_up, tricky


def get_cei(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    answer = client.get("/v1/kpis/cei", params={"currency": "USD", **query}, headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_cei_of_a_month(client: TestClient, store: Store, reports: dict[str, str]) -> None:
    books = Books()
    # Owed at the start: 100,000 (issued in May), 60,000 of it collected in June.
    books.invoice(100_000, date(2025, 5, 10), date(2025, 6, 9), paid=((60_000, date(2025, 6, 5)),))
    # June sales 200,000: 150,000 collected; 30,000 of the rest is not due at the end of June.
    books.invoice(
        170_000, date(2025, 6, 2), date(2025, 6, 20), paid=((150_000, date(2025, 6, 18)),)
    )
    books.invoice(30_000, date(2025, 6, 25), date(2025, 7, 25))
    books.write(store)

    body = get_cei(client, reports, **{"from": "2025-06-01", "to": "2025-06-30"})

    assert body == {
        "from": "2025-06-01",
        "to": "2025-06-30",
        "currency": "USD",
        "segment": None,
        "days": 30,
        "receivables_start": {"amount": 100_000, "currency": "USD"},
        "credit_sales": {"amount": 200_000, "currency": "USD"},
        "receivables_end": {"amount": 90_000, "currency": "USD"},
        "current_receivables_end": {"amount": 30_000, "currency": "USD"},
        "credit_notes": {"amount": 0, "currency": "USD"},
        "collected": {"amount": 210_000, "currency": "USD"},
        "cei": 77.78,  # 210,000 / (300,000 - 30,000) * 100 = 77.777...
    }


def test_cei_matches_the_naive_computation(
    client: TestClient, store: Store, reports: dict[str, str]
) -> None:
    books = tricky(seed=5)
    books.write(store)
    for start in (date(2024, 1, 1), date(2024, 4, 1), date(2024, 11, 15), date(2025, 5, 1)):
        end = start + timedelta(days=60)
        for segment in (None, "enterprise"):
            query: dict[str, Any] = {"from": start, "to": end}
            if segment:
                query["segment"] = segment
            body = get_cei(client, reports, **query)
            begin = books.receivables(start - timedelta(days=1), "USD", segment)
            sold = books.credit_sales(start, end, "USD", segment)
            owed = books.receivables(end, "USD", segment)
            current = books.receivables(end, "USD", segment, current=True)
            collectible = begin + sold - current
            expected = None
            if collectible:
                expected = half_up(Fraction((begin + sold - owed) * 100, collectible))
            assert body["cei"] == expected, (start, segment)
            assert body["collected"]["amount"] == begin + sold - owed


def test_nothing_to_collect_is_a_null_cei(client: TestClient, reports: dict[str, str]) -> None:
    body = get_cei(client, reports, **{"from": "2025-06-01", "to": "2025-06-30"})

    assert body["cei"] is None


def test_cei_refuses_a_period_that_ends_before_it_starts(
    client: TestClient, reports: dict[str, str]
) -> None:
    query = {"from": "2025-06-02", "to": "2025-06-01", "currency": "USD"}
    answer = client.get("/v1/kpis/cei", params=query, headers=reports)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["query", "to"]
