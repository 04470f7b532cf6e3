"""How a run tells payers apart: which invoices count, days late, late share, payer class."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.payment_history import (
    AS_OF,
    DAY,
    WINDOW_START,
    Bill,
    bill,
    classify,
    payer,
    record,
    shown,
)


def test_payer_class_bounds_hold_inclusive(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    record(
        store,
        [
            *payer("good-edge", [0] * 9 + [20]),  # avg 2.0, share 0.10: both good bounds, exactly
            *payer("avg-over", [0] * 9 + [21]),  # avg 2.1
            *payer("share-over", [0] * 8 + [1, 1]),  # share 0.2
            *payer("average-edge", [0] * 5 + [20] * 5),  # avg 10.0, share 0.5: average, exactly
            *payer("poor-avg", [0] * 5 + [21] * 5),  # avg 10.5
            *payer("poor-share", [0] * 4 + [1] * 6),  # share 0.6
        ],
    )
    found = classify(client, ops)
    assert {customer: shown(move) for customer, move in found.items()} == {
        "good-edge": ("good", "standard", "net_30"),
        "avg-over": ("average", "standard", "net_15"),
        "share-over": ("average", "standard", "net_15"),
        "average-edge": ("average", "standard", "net_15"),
        "poor-avg": ("poor", "standard", "pay_on_order"),
        "poor-share": ("poor", "standard", "pay_on_order"),
    }
    edge = found["good-edge"]["metrics"]
    assert (edge["invoices_counted"], edge["avg_days_late"], edge["late_share"]) == (10, 2.0, 0.1)
    assert found["poor-avg"]["metrics"]["avg_days_late"] == 10.5
    assert found["poor-share"]["metrics"]["late_share"] == 0.6
    assert all(move["from"] is None and move["held"] is False for move in found.values())


def test_fewer_counting_invoices_than_min_invoices_get_the_new_customer_segment(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    open_later = bill("two", "two-open", due_on=AS_OF + 10 * DAY)  # not due yet: does not count
    old = bill("old-only", "old-1", due_on=WINDOW_START - DAY, paid_on=WINDOW_START)
    record(
        store,
        [
            *payer("two", [0, 0]),
            open_later,
            *payer("three", [0, 0, 0]),
            *payer("two-rich", [50, 50], amount=6_000_000),
            old,
        ],
    )
    found = classify(client, ops)
    assert {customer: shown(move) for customer, move in found.items()} == {
        "two": (None, "standard", "pay_on_order"),
        "three": ("good", "standard", "net_30"),
        "two-rich": (None, "high", "pay_on_order"),
        "old-only": (None, "standard", "pay_on_order"),
    }
    assert found["two"]["metrics"]["invoices_counted"] == 2
    old_metrics = found["old-only"]["metrics"]
    assert old_metrics["invoices_counted"] == 0
    assert old_metrics["avg_days_late"] is None
    assert old_metrics["late_share"] is None
    assert old_metrics["revenue"] == {"amount": 0, "currency": "USD"}


def test_window_edges_are_inclusive_and_only_invoices_due_or_paid_by_as_of_count(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    record(
        store,
        [
            # Issued on the window's first day, paid on its due date: counts, on time.
            bill(
                "edge",
                "first-day",
                issued_on=WINDOW_START,
                due_on=WINDOW_START + 30 * DAY,
                paid_on=WINDOW_START + 30 * DAY,
            ),
            # Issued the day before the window: does not count, however late.
            bill(
                "edge",
                "day-before",
                issued_on=WINDOW_START - DAY,
                due_on=WINDOW_START + 29 * DAY,
                paid_on=AS_OF,
            ),
            # Issued on as_of and paid that day: counts.
            bill("edge", "last-day", issued_on=AS_OF, due_on=AS_OF + 30 * DAY, paid_on=AS_OF),
            # Open, due after as_of: does not count (but is revenue).
            bill("edge", "not-due", issued_on=AS_OF - 10 * DAY, due_on=AS_OF + 20 * DAY),
            # Open, due the day before as_of: counts, one day late.
            bill("edge", "overdue", issued_on=AS_OF - 20 * DAY, due_on=AS_OF - DAY),
            # Open, due on as_of itself: not due *before* it, so it does not count.
            bill("edge", "due-today", issued_on=AS_OF - 20 * DAY, due_on=AS_OF),
        ],
    )
    move = classify(client, ops)["edge"]
    metrics = move["metrics"]
    assert metrics["invoices_counted"] == 3
    assert metrics["invoices_late"] == 1
    assert metrics["avg_days_late"] == round(1 / 3, 4)
    assert metrics["late_share"] == round(1 / 3, 4)
    assert metrics["invoices_paid"] == 2
    assert metrics["avg_days_to_pay"] == 15.0  # 30 days and 0 days
    assert metrics["revenue"] == {"amount": 50_000, "currency": "USD"}  # all but day-before
    assert shown(move) == ("average", "standard", "net_15")


def test_an_invoice_paid_after_as_of_counts_as_unpaid_on_that_day(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    bills = [
        bill("later", "paid-after", due_on=AS_OF - 10 * DAY, paid_on=AS_OF + 5 * DAY),
        bill("later", "due-today", due_on=AS_OF),
        bill("later", "not-due", due_on=AS_OF + 5 * DAY, paid_on=AS_OF + 10 * DAY),
        bill("later", "on-time", due_on=AS_OF - 30 * DAY, paid_on=AS_OF - 30 * DAY),
        bill("later", "late-5", due_on=AS_OF - 40 * DAY, paid_on=AS_OF - 35 * DAY),
    ]
    record(store, bills)
    metrics = classify(client, ops)["later"]["metrics"]
    # paid-after: 10 days late as of AS_OF (still open then); on-time; late-5.
    assert (metrics["invoices_counted"], metrics["invoices_late"]) == (3, 2)
    assert metrics["avg_days_late"] == 5.0
    assert metrics["invoices_paid"] == 2
    assert metrics["avg_days_to_pay"] == 32.5  # 30 and 35 days from issue
    ten_days_on = classify(client, ops, AS_OF + 10 * DAY)["later"]["metrics"]
    # Now paid-after is paid (15 days late), due-today is 10 days late, not-due paid 5 late.
    assert (ten_days_on["invoices_counted"], ten_days_on["invoices_late"]) == (5, 4)
    assert ten_days_on["avg_days_late"] == 7.0  # (15 + 10 + 5 + 0 + 5) / 5


def test_an_invoice_is_paid_on_the_day_of_the_payment_that_completed_it(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    due_on = AS_OF - 10 * DAY
    in_two = ((AS_OF - 20 * DAY, 4_000), (AS_OF - 5 * DAY, 6_000))
    part = ((AS_OF - 20 * DAY, 4_000),)
    record(
        store,
        [
            Bill("parts", "in-two", 10_000, due_on - 30 * DAY, due_on, in_two),  # 5 days late
            Bill("parts", "part-paid", 10_000, due_on - 30 * DAY, due_on, part),  # open: 10 late
            bill("parts", "on-time", due_on=due_on, paid_on=due_on - DAY),
        ],
    )
    metrics = classify(client, ops)["parts"]["metrics"]
    assert (metrics["invoices_counted"], metrics["invoices_late"]) == (3, 2)
    assert metrics["avg_days_late"] == 5.0
    assert metrics["invoices_paid"] == 2


def test_customers_with_invoices_in_any_currency_or_year_are_all_classified(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    long_ago = date(2001, 3, 1)
    record(
        store,
        [
            bill("ancient", "ancient-1", due_on=long_ago, paid_on=long_ago),
            bill("yen", "yen-1", due_on=AS_OF - 40 * DAY, currency="JPY", amount=10),
        ],
    )
    found = classify(client, ops)
    assert set(found) == {"ancient", "yen"}
    assert found["yen"]["metrics"]["invoices_counted"] == 1
