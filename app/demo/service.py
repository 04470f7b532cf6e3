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
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid
from app.core.store import Store, written_version
from app.demo import contacts, repository
from app.demo.history import (
    INVOICE_COLUMNS,
    NEW_CUSTOMER_SEGMENT,
    PAYMENT_COLUMNS,
    SEGMENTS,
    Calendar,
    InvoiceRow,
    PaymentRow,
    Stamp,
    customer_history,
    customer_id,
)
from app.segments import service as segments
from app.terms import service as terms

MAX_CUSTOMERS = 10_000_000
CHUNK_CUSTOMERS = 5_000
ID_PREFIX = "demo-"
OPEN_AT = contacts.TASK_COLUMNS.index("status")
CONTACT_TABLES = ("contact_tasks", "touches", "promises", "disputes")


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
    tasks: int = 0
    open_tasks: int = 0
    touches: int = 0
    promises: int = 0
    disputes: int = 0
    credit_notes: int = 0


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
    tasks: int = 0
    open_tasks: int = 0
    touches: int = 0
    promises: int = 0
    disputes: int = 0
    credit_notes: int = 0

    def add_loop(self, loop: contacts.Loop) -> None:
        self.tasks += len(loop.tasks)
        self.open_tasks += sum(1 for row in loop.tasks if row[OPEN_AT] == "open")
        self.touches += len(loop.touches)
        self.promises += len(loop.promises)
        self.disputes += len(loop.disputes)
        self.credit_notes += len(loop.credits)

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
            plans = _plans(session)
            for first in range(1, customers + 1, CHUNK_CUSTOMERS):
                invoices: list[InvoiceRow] = []
                payments: list[PaymentRow] = []
                loop = contacts.Loop()
                for number in range(first, min(first + CHUNK_CUSTOMERS, customers + 1)):
                    if customer_id(number) in taken:
                        tally.skipped += 1
                        continue
                    customer_invoices, customer_payments, segment = customer_history(
                        seed, number, calendar, stamp
                    )
                    contacts.customer_loop(seed, number,
                                           _loop_invoices(customer_invoices, customer_payments),
                                           plans.get(segment, ()), calendar.today,
                                           stamp.recorded_at, actor, loop)  # fmt: skip
                    tally.add(customer_invoices, customer_payments)
                    invoices.extend(customer_invoices)
                    payments.extend(customer_payments)
                _credit(loop.credits, invoices, payments)
                tally.add_loop(loop)
                repository.add_rows(session, "invoices", INVOICE_COLUMNS, invoices)
                repository.add_rows(session, "payments", PAYMENT_COLUMNS, payments)
                _add_loop(session, loop)
                if progress is not None:
                    progress(min(first + CHUNK_CUSTOMERS - 1, customers))
            if tally.customers:
                repository.analyze(session, "invoices", "payments", *CONTACT_TABLES)
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


def _plans(session: Session) -> dict[str, list[dict[str, Any]]]:
    """The contact plan of each segment the demo means its customers for, as stored now."""
    plans = {}
    for key in {*SEGMENTS.values(), NEW_CUSTOMER_SEGMENT}:
        segment = segments.find(session, key)
        if segment is not None:
            plans[key] = list(segment.contact_plan)
    return plans


def _loop_invoices(
    invoices: list[InvoiceRow], payments: list[PaymentRow]
) -> list[contacts.Invoice]:
    paid_on = {row[1]: row[4] for row in payments}
    return [
        contacts.Invoice(
            row[0], row[1], row[2], row[3], row[4], row[5], row[10], paid_on.get(row[0])
        )
        for row in invoices
    ]


def _credit(
    credits: dict[str, int], invoices: list[InvoiceRow], payments: list[PaymentRow]
) -> None:
    """A credit note settles part of an invoice paid in full: its payment is that much less."""
    if not credits:
        return
    for n, row in enumerate(invoices):
        if row[0] in credits:
            invoices[n] = (*row[:12], credits[row[0]])
    for n, paid in enumerate(payments):
        if paid[1] in credits:
            payments[n] = (*paid[:2], paid[2] - credits[paid[1]], *paid[3:])


def _add_loop(session: Session, loop: contacts.Loop) -> None:
    repository.add_rows(session, "contact_tasks", contacts.TASK_COLUMNS, loop.tasks)
    repository.add_rows(session, "touches", contacts.TOUCH_COLUMNS, loop.touches,
                        json_column="answer")  # fmt: skip
    repository.add_rows(session, "promises", contacts.PROMISE_COLUMNS, loop.promises)
    repository.add_rows(session, "disputes", contacts.DISPUTE_COLUMNS, loop.disputes)


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
        "tasks": tally.tasks,
        "open_tasks": tally.open_tasks,
        "touches": tally.touches,
        "promises": tally.promises,
        "disputes": tally.disputes,
        "credit_notes": tally.credit_notes,
    }
