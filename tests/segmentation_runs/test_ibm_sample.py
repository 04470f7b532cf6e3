"""IBM's accounts-receivable sample, imported as history: a dry run classifies its 100
customers exactly as the rules, worked out here in plain Python from the raw rows, say."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient

from app.core.store import Store
from app.history.importer import import_file
from tests.support import ibm
from tests.support.payment_history import classify, replace_policy

# The default policy, as CONTRACT section 7 prints it.
LOOKBACK_DAYS = 365
MIN_INVOICES = 3
GOOD = (2, 0.10)
AVERAGE = (10, 0.50)
MIN_REVENUE = 10_000_000
MATRIX = {
    "good": {"high": "net_30", "standard": "net_30"},
    "average": {"high": "net_30", "standard": "net_15"},
    "poor": {"high": "net_15", "standard": "pay_on_order"},
}
ROUNDED = 0.00006  # metrics are shown to 4 decimals


class Raw(NamedTuple):
    customer_id: str
    cents: int
    issued_on: date
    due_on: date
    settled_on: date


class Expected(NamedTuple):
    payer_class: str | None
    value_tier: str
    segment: str
    counted: int
    avg_days_late: float | None
    late_share: float | None
    revenue: int


def raw_rows(path: Path) -> list[Raw]:
    def day(text: str) -> date:
        return datetime.strptime(text, "%m/%d/%Y").date()

    with path.open(newline="") as file:
        return [
            Raw(
                row["customerID"],
                int(Decimal(row["InvoiceAmount"]) * 100),
                day(row["InvoiceDate"]),
                day(row["DueDate"]),
                day(row["SettledDate"]),
            )
            for row in csv.DictReader(file)
        ]


def expected(rows: list[Raw], as_of: date, min_revenue: int) -> dict[str, Expected]:
    start = as_of - timedelta(days=LOOKBACK_DAYS)
    by_customer: dict[str, list[Raw]] = defaultdict(list)
    for row in rows:
        by_customer[row.customer_id].append(row)
    found = {}
    for customer_id, invoices in by_customer.items():
        late_days = []
        revenue = 0
        for invoice in invoices:
            if not start <= invoice.issued_on <= as_of:
                continue
            revenue += invoice.cents
            paid = invoice.settled_on <= as_of
            if not (paid or invoice.due_on < as_of):
                continue
            settled = invoice.settled_on if paid else as_of
            late_days.append(max(0, (settled - invoice.due_on).days))
        counted = len(late_days)
        avg = sum(late_days) / counted if counted else None
        share = sum(1 for days in late_days if days > 0) / counted if counted else None
        payer: str | None = None
        if counted >= MIN_INVOICES:
            assert avg is not None
            assert share is not None
            if avg <= GOOD[0] and share <= GOOD[1]:
                payer = "good"
            elif avg <= AVERAGE[0] and share <= AVERAGE[1]:
                payer = "average"
            else:
                payer = "poor"
        tier = "high" if revenue >= min_revenue else "standard"
        segment = MATRIX[payer][tier] if payer else "pay_on_order"
        found[customer_id] = Expected(payer, tier, segment, counted, avg, share, revenue)
    return found


@pytest.fixture
def sample(store: Store) -> list[Raw]:
    """The sample imported as it is (tests/support/ibm.py's reading)."""
    import_file(store, ibm.SAMPLE, "cli:tester", reading=ibm.READING)
    return raw_rows(ibm.SAMPLE)


@pytest.mark.parametrize(
    ("as_of", "min_revenue"),
    [
        (date(2013, 12, 31), MIN_REVENUE),
        (date(2013, 6, 30), MIN_REVENUE),  # mid-window: invoices paid after it count as open
        (date(2013, 12, 31), 69_000),  # about the median customer's year: both value tiers
    ],
)
def test_dry_run_classifies_the_ibm_sample_as_worked_out_by_hand(
    client: TestClient,
    store: Store,
    ops: dict[str, str],
    sample: list[Raw],
    as_of: date,
    min_revenue: int,
) -> None:
    if min_revenue != MIN_REVENUE:
        high = {"min_revenue": {"amount": min_revenue, "currency": "USD"}, "min_margin_pct": None}
        replace_policy(store, value_tiers={"high": high})
    want = expected(sample, as_of, min_revenue)
    got = classify(client, ops, as_of)
    assert set(got) == set(want)
    assert len(got) == 100
    for customer_id, move in got.items():
        wanted = want[customer_id]
        metrics: dict[str, Any] = move["metrics"]
        assert (move["payer_class"], move["value_tier"], move["to"]) == (
            wanted.payer_class,
            wanted.value_tier,
            wanted.segment,
        ), customer_id
        assert metrics["invoices_counted"] == wanted.counted, customer_id
        assert metrics["revenue"] == {"amount": wanted.revenue, "currency": "USD"}, customer_id
        for name, value in (
            ("avg_days_late", wanted.avg_days_late),
            ("late_share", wanted.late_share),
        ):
            if value is None:
                assert metrics[name] is None, (customer_id, name)
            else:
                assert metrics[name] == pytest.approx(value, abs=ROUNDED), (customer_id, name)
    classes = {item.payer_class for item in want.values()}
    assert {"good", "average", "poor"} <= classes, "the sample exercises every payer class"
    if min_revenue != MIN_REVENUE:
        assert {item.value_tier for item in want.values()} == {"high", "standard"}
