"""Writing the demo history: customers `demo-00001` to `demo-N`, in one transaction.

Customers that already have invoices are skipped, so the same command run twice writes
nothing the second time, and a larger `--customers` adds only the customers not there yet.
Rows go out in chunks of customers (COPY on PostgreSQL), so memory stays flat however many
customers are asked for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid
from app.core.store import Store, written_version
from app.demo import repository
from app.demo.history import (
    INVOICE_COLUMNS,
    PAYMENT_COLUMNS,
    Calendar,
    InvoiceRow,
    PaymentRow,
    Stamp,
    customer_history,
    customer_id,
)
from app.terms import service as terms

MAX_CUSTOMERS = 10_000_000
CHUNK_CUSTOMERS = 5_000
ID_PREFIX = "demo-"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What one demo write did."""

    seed: int
    customers: int
    skipped: int
    invoices: int
    payments: int
    open_invoices: int
    partially_paid: int
    first_issued_on: date | None
    last_issued_on: date | None
    seconds: float


@dataclass(slots=True)
class _Tally:
    customers: int = 0
    skipped: int = 0
    invoices: int = 0
    payments: int = 0
    open_invoices: int = 0
    partially_paid: int = 0
    first_issued_on: date | None = None
    last_issued_on: date | None = None

    def add(self, invoices: list[InvoiceRow], payments: list[PaymentRow]) -> None:
        self.customers += 1
        self.invoices += len(invoices)
        self.payments += len(payments)
        for row in invoices:
            amount, paid_amount = row[2], row[10]
            if paid_amount < amount:
                self.open_invoices += 1
                self.partially_paid += paid_amount > 0
        first, last = invoices[0][4], invoices[-1][4]
        if self.first_issued_on is None or first < self.first_issued_on:
            self.first_issued_on = first
        if self.last_issued_on is None or last > self.last_issued_on:
            self.last_issued_on = last


def generate(
    store: Store,
    *,
    customers: int,
    seed: int,
    clock: Clock,
    actor: str = "demo",
    progress: Callable[[int], object] | None = None,
) -> DemoSummary:
    """Write the demo history of `customers` customers for `seed`, over the year to today.

    `progress`, if given, is called with the number of customers handled so far."""
    if not 1 <= customers <= MAX_CUSTOMERS:
        raise Invalid(f"customers must be between 1 and {MAX_CUSTOMERS:,}; got {customers}.")
    started = time.perf_counter()
    tally = _Tally()
    try:
        with store.writing() as session:
            taken = repository.customers_with_history(session, ID_PREFIX)
            stamp = Stamp(written_version(session), clock.now())
            terms.reload_all(session)  # every process sums what is owed afresh
            calendar = Calendar.ending(clock.today())
            for first in range(1, customers + 1, CHUNK_CUSTOMERS):
                invoices: list[InvoiceRow] = []
                payments: list[PaymentRow] = []
                for number in range(first, min(first + CHUNK_CUSTOMERS, customers + 1)):
                    if customer_id(number) in taken:
                        tally.skipped += 1
                        continue
                    customer_invoices, customer_payments = customer_history(
                        seed, number, calendar, stamp
                    )
                    tally.add(customer_invoices, customer_payments)
                    invoices.extend(customer_invoices)
                    payments.extend(customer_payments)
                repository.add_rows(session, "invoices", INVOICE_COLUMNS, invoices)
                repository.add_rows(session, "payments", PAYMENT_COLUMNS, payments)
                if progress is not None:
                    progress(min(first + CHUNK_CUSTOMERS - 1, customers))
            if tally.customers:
                repository.analyze(session, "invoices", "payments")
                audit.record(
                    session,
                    audit.Entry(
                        actor=actor,
                        action="demo.generated",
                        entity_type="demo",
                        entity_id=f"seed:{seed}",
                        occurred_at=stamp.recorded_at,
                        after=_audited(seed, customers, tally),
                    ),
                )
    except IntegrityError:
        raise Conflict(
            "Some demo invoice or payment ids are already in the store under other customers; "
            "nothing was written."
        ) from None
    seconds = round(time.perf_counter() - started, 3)
    return DemoSummary(seed=seed, **asdict(tally), seconds=seconds)


def _audited(seed: int, asked: int, tally: _Tally) -> dict[str, object]:
    return {
        "seed": seed,
        "customers_asked": asked,
        "customers_written": tally.customers,
        "customers_skipped": tally.skipped,
        "invoices": tally.invoices,
        "payments": tally.payments,
        "open_invoices": tally.open_invoices,
        "partially_paid": tally.partially_paid,
        "first_issued_on": str(tally.first_issued_on),
        "last_issued_on": str(tally.last_issued_on),
    }
