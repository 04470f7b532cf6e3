"""What customers taught by paying, as known at as_of: every payment made by then, aggregated in
SQL per segment or per customer, days late and month of age, never payment by payment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Date, FunctionElement, Integer, case, exists, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from app.core.models import Dispute, Invoice, Payment
from app.core.statements import one_of
from app.forecasts.patterns import (
    AGE_BAND_DAYS,
    HISTORY_DAYS,
    OWN_HISTORY_DAYS,
    Accumulator,
)
from app.forecasts.repository import end_of

# Days late are clipped to this range: a pattern needs no finer tail.
EARLIEST_LATE, LATEST_LATE = -120, 400
# The pools' recent part: payments made this many days before as_of or later (recency band 0)
# are kept per customer, so that a fit moved on by new payments replaces them exactly.
RECENT_DAYS = AGE_BAND_DAYS


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first (julianday() on SQLite, which keeps text)."""

    type = Integer()
    name = "forecast_days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _paid_by_then(as_of: date, window_days: int, skip_days: int = 0) -> Any:
    """Payments made on or before as_of (within `window_days`, and `skip_days` or more before
    it): customer, segment, disputed (a dispute opened by as_of), days late (clipped) and whole
    AGE_BAND_DAYS of age."""
    late = days_between(Payment.paid_on, Invoice.due_on)
    clipped = case(
        (late < EARLIEST_LATE, literal(EARLIEST_LATE)),
        (late > LATEST_LATE, literal(LATEST_LATE)),
        else_=late,
    )
    band = days_between(literal(as_of, Date), Payment.paid_on) // AGE_BAND_DAYS
    # An uncorrelated IN: PostgreSQL hashes the disputed invoices once and costs it so. A
    # correlated EXISTS was costed as an index probe per payment, which priced the statement
    # high enough for JIT inlining and optimisation (2 to 3 s of compiling at 1,000,000
    # invoices for a statement that runs in less) and a sorted rather than hashed grouping.
    disputed = Invoice.invoice_id.in_(
        select(Dispute.invoice_id).where(Dispute.opened_at < end_of(as_of))
    )
    return (
        select(
            Invoice.customer_id.label("customer"),
            Invoice.segment_key.label("segment"),
            case((disputed, 1), else_=0).label("disputed"),
            clipped.label("late"),
            band.label("band"),
        )
        .select_from(Payment)
        .join(Invoice, Invoice.invoice_id == Payment.invoice_id)
        .where(
            Payment.paid_on <= as_of - timedelta(days=skip_days),
            Payment.paid_on > as_of - timedelta(days=window_days),
        )
    )


def pools(session: Session, as_of: date, accumulator: Accumulator, skip_days: int = 0) -> None:
    """Every payment known at as_of (made `skip_days` or more before it), per segment and for
    everyone, by days late and age: a few thousand rows, however many payments (read through
    the connection: no ORM rows to build)."""
    inner = _paid_by_then(as_of, HISTORY_DAYS, skip_days).subquery()
    keys = (inner.c.segment, inner.c.disputed, inner.c.late, inner.c.band)
    query = select(*keys, func.count()).group_by(*keys)
    for segment, was_disputed, days, age, payments in session.connection().execute(query):
        accumulator.pooled(segment, bool(was_disputed), days, age, payments)


def own_history(
    session: Session, as_of: date, customers: Sequence[str] | None, accumulator: Accumulator
) -> None:
    """The payments of `customers` (default: every customer owing something at as_of) known
    at as_of, within OWN_HISTORY_DAYS, by days late and age."""
    query = _paid_by_then(as_of, OWN_HISTORY_DAYS)
    if customers is not None:
        query = query.where(one_of(session, Invoice.customer_id, list(customers)))
    else:
        query = query.where(Invoice.customer_id.in_(_owing_at(as_of)))
    inner = query.subquery()
    keys = (inner.c.customer, inner.c.disputed, inner.c.late, inner.c.band)
    query = select(*keys, func.count()).group_by(*keys)
    accumulator.add_all(session.connection().execute(query))


class Recent(NamedTuple):
    """A customer's payments of the last RECENT_DAYS, which go into the pools (band 0)."""

    segment: str | None
    disputed: bool
    late: int
    payments: int


def recent(
    session: Session, as_of: date, customers: Sequence[str] | None
) -> dict[str, list[Recent]]:
    """Per customer (every one, or `customers`), the payments made in the last RECENT_DAYS
    up to as_of, by segment, disputed and days late."""
    query = _paid_by_then(as_of, RECENT_DAYS)
    if customers is not None:
        query = query.where(one_of(session, Invoice.customer_id, list(customers)))
    inner = query.subquery()
    keys = (inner.c.customer, inner.c.segment, inner.c.disputed, inner.c.late)
    found: dict[str, list[Recent]] = {}
    for customer, segment, disputed, late, payments in session.connection().execute(
        select(*keys, func.count()).group_by(*keys)
    ):
        found.setdefault(customer, []).append(Recent(segment, bool(disputed), late, payments))
    return found


def older_paid(session: Session, as_of: date, invoices: Sequence[str]) -> bool:
    """Whether any of these invoices was paid RECENT_DAYS or more before as_of (within
    HISTORY_DAYS): a dispute on it moves the pools' older part."""
    query = _paid_by_then(as_of, HISTORY_DAYS, RECENT_DAYS).where(
        one_of(session, Invoice.invoice_id, list(invoices))
    )
    return bool(session.scalar(select(exists(query.limit(1).subquery().select()))))


def _owing_at(as_of: date) -> Any:
    """Customers with an invoice open at as_of: open today, or paid after as_of."""
    open_today = select(Invoice.customer_id).where(
        Invoice.paid_amount < Invoice.amount, Invoice.issued_on <= as_of
    )
    paid_later = (
        select(Invoice.customer_id)
        .select_from(Payment)
        .join(Invoice, Invoice.invoice_id == Payment.invoice_id)
        .where(Payment.paid_on > as_of, Invoice.issued_on <= as_of)
    )
    return open_today.union(paid_later).subquery().select()
