"""app.demo.generate: a deterministic, plausible payment history, written once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.clock import Clock
from app.core.errors import Conflict, Invalid
from app.core.models import (
    AuditEvent,
    ContactTask,
    Dispute,
    Invoice,
    Payment,
    Promise,
    StoreVersion,
    Touch,
)
from app.core.store import Store, written_version
from app.demo import DemoSummary, generate
from tests.support.demo import wipe

SEED = 7
MIX_CUSTOMERS = 400

# The shares README's "Demo data" promises, as (low, high).
PAYER_CLASS_SHARES = {"good": (0.35, 0.55), "average": (0.20, 0.35), "poor": (0.12, 0.28)}
NEW_CUSTOMER_SHARE = (0.04, 0.12)
HIGH_VALUE_SHARE = (0.10, 0.25)
DISPUTED_SHARE = (0.01, 0.04)
PARTIALLY_PAID_RECENT_SHARE = (0.05, 0.15)
PEAK_TO_TROUGH_AT_LEAST = 1.3


@dataclass(frozen=True)
class Row:
    """One demo invoice and what was paid on it, as the store holds them."""

    invoice_id: str
    customer_id: str
    amount: int
    issued_on: date
    due_on: date
    paid_amount: int
    payments: tuple[tuple[str, int, date], ...]

    @property
    def paid_on(self) -> date | None:
        """When it was paid in full; None while any of it is open."""
        if self.paid_amount < self.amount:
            return None
        return max(paid_on for _, _, paid_on in self.payments)


def history(store: Store) -> list[Row]:
    with store.reading() as session:
        payments: dict[str, list[tuple[str, int, date]]] = defaultdict(list)
        for payment in session.scalars(select(Payment)):
            payments[payment.invoice_id].append(
                (payment.payment_id, payment.amount, payment.paid_on)
            )
        return [
            Row(
                invoice.invoice_id,
                invoice.customer_id,
                invoice.amount,
                invoice.issued_on,
                invoice.due_on,
                invoice.paid_amount,
                tuple(sorted(payments[invoice.invoice_id])),
            )
            for invoice in session.scalars(select(Invoice).order_by(Invoice.invoice_id))
        ]


def audit_events(store: Store) -> list[dict[str, Any]]:
    with store.reading() as session:
        query = select(AuditEvent).where(AuditEvent.action == "demo.generated")
        return [event.after or {} for event in session.scalars(query.order_by(AuditEvent.id))]


def loop_counts(store: Store) -> dict[str, int]:
    """The contact loop's rows, as DemoSummary counts them."""
    with store.reading() as session:
        tasks = list(session.scalars(select(ContactTask.status)))
        return {
            "tasks": len(tasks),
            "open_tasks": tasks.count("open"),
            "touches": session.scalar(select(func.count()).select_from(Touch)) or 0,
            "promises": session.scalar(select(func.count()).select_from(Promise)) or 0,
            "disputes": session.scalar(select(func.count()).select_from(Dispute)) or 0,
            "credit_notes": session.scalar(
                select(func.count()).where(Dispute.resolution == "credit_note")
            )
            or 0,
        }


# -- determinism and writing once -------------------------------------------------------------


def test_same_seed_writes_the_same_rows_and_another_seed_others(store: Store, clock: Clock) -> None:
    generate(store, customers=40, seed=SEED, clock=clock)
    first = history(store)
    wipe(store)
    generate(store, customers=40, seed=SEED, clock=clock)
    assert history(store) == first
    wipe(store)
    generate(store, customers=40, seed=SEED + 1, clock=clock)
    other = history(store)
    assert {row.customer_id for row in other} == {row.customer_id for row in first}
    assert other != first


def test_a_customer_history_does_not_depend_on_how_many_are_made(
    store: Store, clock: Clock
) -> None:
    generate(store, customers=60, seed=SEED, clock=clock)
    sixty = history(store)
    wipe(store)
    generate(store, customers=25, seed=SEED, clock=clock)
    assert history(store) == [row for row in sixty if row.customer_id <= "demo-00025"]


def test_running_again_skips_customers_with_history_and_adds_new_ones(
    store: Store, clock: Clock
) -> None:
    first = generate(store, customers=30, seed=SEED, clock=clock)
    before = history(store)
    again = generate(store, customers=30, seed=SEED, clock=clock)
    assert (again.customers, again.skipped, again.invoices) == (0, 30, 0)
    assert history(store) == before
    more = generate(store, customers=45, seed=SEED, clock=clock)
    assert (more.customers, more.skipped) == (15, 30)
    after = history(store)
    assert [row for row in after if row.customer_id <= "demo-00030"] == before
    assert len(after) == first.invoices + more.invoices
    assert [event["customers_written"] for event in audit_events(store)] == [30, 15]


def test_one_write_one_store_version_one_audit_row(store: Store, clock: Clock) -> None:
    summary = generate(store, customers=20, seed=SEED, clock=clock, actor="cli:ops")
    with store.reading() as session:
        versions = set(session.scalars(select(Invoice.changed_version)))
        store_version = session.scalar(select(StoreVersion.version))
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "demo.generated")
        ).one()
        assert versions == {store_version}
        assert (event.actor, event.entity_type, event.entity_id) == ("cli:ops", "demo", "seed:7")
        assert event.after is not None
        assert event.after["invoices"] == summary.invoices
        assert event.after["payments"] == summary.payments


def test_summary_counts_what_was_written(store: Store, clock: Clock) -> None:
    summary = generate(store, customers=50, seed=SEED, clock=clock)
    rows = history(store)
    assert summary == DemoSummary(
        seed=SEED,
        customers=50,
        skipped=0,
        invoices=len(rows),
        payments=sum(len(row.payments) for row in rows),
        open_invoices=sum(row.paid_amount < row.amount for row in rows),
        partially_paid=sum(0 < row.paid_amount < row.amount for row in rows),
        first_issued_on=min(row.issued_on for row in rows),
        last_issued_on=max(row.issued_on for row in rows),
        seconds=summary.seconds,
        **loop_counts(store),
    )


def test_a_demo_id_taken_by_another_customer_is_a_conflict_with_nothing_written(
    store: Store, clock: Clock
) -> None:
    with store.writing() as session:
        session.add(
            Invoice(
                invoice_id="demo-00002-001", customer_id="someone-else", amount=100,
                currency="USD", issued_on=clock.today(), due_on=clock.today(), terms_type="net",
                net_days=0, origin="api", paid_amount=0, changed_version=written_version(session),
            )
        )  # fmt: skip
    with pytest.raises(Conflict):
        generate(store, customers=5, seed=SEED, clock=clock)
    assert [row.invoice_id for row in history(store)] == ["demo-00002-001"]
    assert audit_events(store) == []


@pytest.mark.parametrize("customers", [0, -1, 10_000_001])
def test_customers_out_of_range_is_refused(store: Store, clock: Clock, customers: int) -> None:
    with pytest.raises(Invalid):
        generate(store, customers=customers, seed=SEED, clock=clock)


# -- what the rows look like ------------------------------------------------------------------


def test_rows_are_imported_history_with_consistent_payments(store: Store, clock: Clock) -> None:
    generate(store, customers=60, seed=SEED, clock=clock)
    today = clock.today()
    with store.reading() as session:
        invoices = list(session.scalars(select(Invoice)))
        payments = list(session.scalars(select(Payment)))
        paid: dict[str, int] = defaultdict(int)
        for payment in payments:
            assert payment.origin == "demo"
            assert payment.payment_id.startswith(payment.invoice_id)
            assert payment.currency == "USD"
            paid[payment.invoice_id] += payment.amount
        for invoice in invoices:
            assert invoice.origin == "imported"
            assert invoice.customer_id.startswith("demo-")
            assert invoice.invoice_id.startswith(invoice.customer_id)
            assert (invoice.segment_key, invoice.route, invoice.routed_at) == (None, None, None)
            assert (invoice.terms_type, invoice.currency) == ("net", "USD")
            assert invoice.net_days == (invoice.due_on - invoice.issued_on).days
            assert today - timedelta(days=364) <= invoice.issued_on <= today
            assert 0 <= invoice.paid_amount <= invoice.amount
            assert paid[invoice.invoice_id] == invoice.paid_amount - invoice.credited_amount
    for row in history(store):
        for _, _, paid_on in row.payments:
            assert row.issued_on <= paid_on <= today


def test_the_mix_falls_in_the_documented_ranges(store: Store, clock: Clock) -> None:
    """Shares computed from the rows, by CONTRACT section 7 under the default policy."""
    generate(store, customers=MIX_CUSTOMERS, seed=SEED, clock=clock)
    rows = history(store)
    today = clock.today()
    by_customer: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_customer[row.customer_id].append(row)
    assert len(by_customer) == MIX_CUSTOMERS

    classes = [payer_class(invoices, today) for invoices in by_customer.values()]
    for name, (low, high) in PAYER_CLASS_SHARES.items():
        assert low <= classes.count(name) / MIX_CUSTOMERS <= high, name
    low, high = NEW_CUSTOMER_SHARE
    assert low <= classes.count(None) / MIX_CUSTOMERS <= high

    high_value = sum(
        sum(row.amount for row in invoices) >= 10_000_000 for invoices in by_customer.values()
    )
    low, high = HIGH_VALUE_SHARE
    assert low <= high_value / MIX_CUSTOMERS <= high

    settled = [row for row in rows if row.due_on <= today - timedelta(days=150)]
    disputed = [row for row in settled if days_late(row, today) >= 60]
    low, high = DISPUTED_SHARE
    assert low <= len(disputed) / len(settled) <= high

    recent = [row for row in rows if row.issued_on >= today - timedelta(days=90)]
    partial = [row for row in recent if 0 < row.paid_amount < row.amount]
    low, high = PARTIALLY_PAID_RECENT_SHARE
    assert low <= len(partial) / len(recent) <= high
    assert all(len(row.payments) == 1 for row in partial)

    assert peak_to_trough(rows, today) >= PEAK_TO_TROUGH_AT_LEAST


def days_late(row: Row, today: date) -> int:
    return max(0, ((row.paid_on or today) - row.due_on).days)


def payer_class(invoices: list[Row], today: date) -> str | None:
    """good / average / poor under the default policy; None below 3 counting invoices."""
    counted = [row for row in invoices if row.paid_on is not None or row.due_on < today]
    if len(counted) < 3:
        return None
    late = [days_late(row, today) for row in counted]
    average_late = sum(late) / len(late)
    late_share = sum(days > 0 for days in late) / len(late)
    if average_late <= 2 and late_share <= 0.10:
        return "good"
    if average_late <= 10 and late_share <= 0.50:
        return "average"
    return "poor"


def peak_to_trough(rows: list[Row], today: date) -> float:
    """Invoices a day issued in October to December over those in April to June."""
    issued: dict[str | None, int] = defaultdict(int)
    days: dict[str | None, int] = defaultdict(int)
    for back in range(365):
        days[_season(today - timedelta(days=back))] += 1
    for row in rows:
        issued[_season(row.issued_on)] += 1
    return (issued["peak"] / days["peak"]) / (issued["trough"] / days["trough"])


def _season(day: date) -> str | None:
    if day.month in (10, 11, 12):
        return "peak"
    if day.month in (4, 5, 6):
        return "trough"
    return None
