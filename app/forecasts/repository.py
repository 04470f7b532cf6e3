"""Every forecast query. What was owed at as_of is what is owed today plus what was paid or
credited after it (the KPIs' reckoning); what customers taught by paying is aggregated in SQL,
per customer, days late and month of age, never payment by payment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    Date,
    FunctionElement,
    Integer,
    Select,
    case,
    delete,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from app.core.models import (
    CashForecastWeek,
    Dispute,
    Invoice,
    LedgerChange,
    Payment,
    Promise,
    Segment,
    StoreVersion,
)
from app.forecasts.model import (
    AGE_BAND_DAYS,
    EVERYONE,
    HISTORY_DAYS,
    OWN_HISTORY_DAYS,
    Accumulator,
)

# Days late are clipped to this range: a pattern needs no finer tail.
EARLIEST_LATE, LATEST_LATE = -120, 400


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


def end_of(day: date) -> datetime:
    """The first instant after `day` (UTC): what happened before it was known at its end."""
    return datetime.combine(day + timedelta(days=1), time.min, UTC)


@dataclass(slots=True)
class OpenInvoice:
    invoice_id: str
    customer_id: str
    segment: str | None
    currency: str
    due_on: date
    outstanding: int


Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def _scoped(query: Query, currency: str | None, segment: str | None) -> Query:
    if currency is not None:
        query = query.where(Invoice.currency == currency)
    if segment is not None:
        query = query.where(Invoice.segment_key == segment)
    return query


def open_at(
    session: Session,
    as_of: date,
    currency: str | None,
    segment: str | None = None,
    customer_id: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list[OpenInvoice]:
    """Invoices issued on or before as_of with something owed at its end, by invoice id: open
    today (the partial index), plus paid or credited after as_of."""
    columns = (
        Invoice.invoice_id,
        Invoice.customer_id,
        Invoice.segment_key,
        Invoice.currency,
        Invoice.due_on,
    )

    def narrowed(query: Query) -> Query:
        query = _scoped(query, currency, segment).where(Invoice.issued_on <= as_of)
        if customer_id is not None:
            query = query.where(Invoice.customer_id == customer_id)
        if after is not None:
            query = query.where(Invoice.invoice_id > after)
        if limit is not None:
            query = query.order_by(Invoice.invoice_id).limit(limit)
        return query

    owed: dict[str, OpenInvoice] = {}

    def take(rows: Iterable[Any]) -> None:
        for invoice_id, customer, key, code, due_on, amount in rows:
            found = owed.get(invoice_id)
            if found is None:
                owed[invoice_id] = OpenInvoice(invoice_id, customer, key, code, due_on, int(amount))
            else:
                found.outstanding += int(amount)

    take(
        session.execute(
            narrowed(
                select(*columns, (Invoice.amount - Invoice.paid_amount)).where(
                    Invoice.paid_amount < Invoice.amount
                )
            )
        )
    )
    paid_later = narrowed(
        select(*columns, func.sum(Payment.amount))
        .select_from(Payment)
        .join(Invoice, Invoice.invoice_id == Payment.invoice_id)
        .where(Payment.paid_on > as_of)
        .group_by(*columns)
    )
    take(session.execute(paid_later))
    credited_later = narrowed(
        select(*columns, func.sum(Dispute.credit_amount))
        .select_from(Dispute)
        .join(Invoice, Invoice.invoice_id == Dispute.invoice_id)
        .where(Dispute.credit_amount.is_not(None), Dispute.resolved_at >= end_of(as_of))
        .group_by(*columns)
    )
    take(session.execute(credited_later))
    found = sorted(owed.values(), key=lambda invoice: invoice.invoice_id)
    return found[:limit] if limit is not None else found


def _paid_by_then(as_of: date, window_days: int) -> Any:
    """Payments made on or before as_of (within `window_days`): customer, segment, disputed (a
    dispute opened by as_of), days late (clipped) and whole AGE_BAND_DAYS of age."""
    late = days_between(Payment.paid_on, Invoice.due_on)
    clipped = case(
        (late < EARLIEST_LATE, literal(EARLIEST_LATE)),
        (late > LATEST_LATE, literal(LATEST_LATE)),
        else_=late,
    )
    band = days_between(literal(as_of, Date), Payment.paid_on) // AGE_BAND_DAYS
    disputed = exists().where(
        Dispute.invoice_id == Invoice.invoice_id, Dispute.opened_at < end_of(as_of)
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
        .where(Payment.paid_on <= as_of, Payment.paid_on > as_of - timedelta(days=window_days))
    )


def pools(session: Session, as_of: date, accumulator: Accumulator) -> None:
    """Every payment known at as_of, per segment and for everyone, by days late and age: a few
    thousand rows, however many payments."""
    inner = _paid_by_then(as_of, HISTORY_DAYS).subquery()
    keys = (inner.c.segment, inner.c.disputed, inner.c.late, inner.c.band)
    for segment, was_disputed, days, age, payments in session.execute(
        select(*keys, func.count()).group_by(*keys)
    ):
        flag = bool(was_disputed)
        if segment is not None:
            accumulator.pool((segment, flag), int(days), int(age), int(payments))
        accumulator.pool((EVERYONE, flag), int(days), int(age), int(payments))


def own_history(
    session: Session, as_of: date, customers: Sequence[str] | None, accumulator: Accumulator
) -> None:
    """The payments of `customers` (default: every customer owing something at as_of) known
    at as_of, within OWN_HISTORY_DAYS, by days late and age."""
    query = _paid_by_then(as_of, OWN_HISTORY_DAYS)
    if customers is not None:
        query = query.where(Invoice.customer_id.in_(customers))
    else:
        query = query.where(Invoice.customer_id.in_(_owing_at(as_of)))
    inner = query.subquery()
    keys = (inner.c.customer, inner.c.disputed, inner.c.late, inner.c.band)
    for customer, was_disputed, days, age, payments in session.execute(
        select(*keys, func.count()).group_by(*keys)
    ):
        accumulator.add((customer, bool(was_disputed)), int(days), int(age), int(payments))


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


@dataclass(frozen=True, slots=True)
class OpenPromise:
    invoice_id: str
    customer_id: str
    amount: int
    pay_on: date


def promises_open_at(session: Session, as_of: date) -> list[OpenPromise]:
    """Promises made by the end of as_of and not yet kept or broken then (the latest wins)."""
    end = end_of(as_of)
    query = (
        select(Promise.invoice_id, Promise.customer_id, Promise.amount, Promise.pay_on)
        .where(Promise.made_at < end)
        .where((Promise.status == "open") | (Promise.closed_at >= end))
        .order_by(Promise.made_at)
    )
    return [OpenPromise(*row) for row in session.execute(query)]


def promise_record(session: Session, as_of: date) -> dict[str, tuple[int, int]]:
    """Per customer, promises kept and broken by the end of as_of."""
    end = end_of(as_of)
    query = (
        select(Promise.customer_id, Promise.status, func.count())
        .where(Promise.closed_at < end, Promise.status.in_(("kept", "broken")))
        .group_by(Promise.customer_id, Promise.status)
    )
    record: dict[str, tuple[int, int]] = {}
    for customer, status, count in session.execute(query):
        kept, broken = record.get(customer, (0, 0))
        record[customer] = (kept + count, broken) if status == "kept" else (kept, broken + count)
    return record


def disputed_at(session: Session, as_of: date) -> set[str]:
    """Invoices with a dispute opened by the end of as_of and not resolved by then."""
    end = end_of(as_of)
    query = select(Dispute.invoice_id).where(
        Dispute.opened_at < end, (Dispute.resolved_at.is_(None)) | (Dispute.resolved_at >= end)
    )
    return set(session.scalars(query))


def paid_by_day(
    session: Session, as_of: date, last_day: date, currency: str | None
) -> list[tuple[str, date, int]]:
    """(currency, day, cash) paid in (as_of, last_day] on invoices issued on or before as_of."""
    query = _scoped(
        select(Invoice.currency, Payment.paid_on, func.sum(Payment.amount))
        .select_from(Payment)
        .join(Invoice, Invoice.invoice_id == Payment.invoice_id)
        .where(Payment.paid_on > as_of, Payment.paid_on <= last_day, Invoice.issued_on <= as_of)
        .group_by(Invoice.currency, Payment.paid_on),
        currency,
        None,
    )
    return [(code, day, int(cash)) for code, day, cash in session.execute(query)]


def segment_known(session: Session, key: str) -> bool:
    """A segment that exists, or one stamped on invoices (segments may be deleted later)."""
    if session.get(Segment, key) is not None:
        return True
    return bool(session.scalar(select(exists().where(Invoice.segment_key == key))))


def written_stamp(session: Session) -> tuple[Any, ...]:
    """What changes whenever payments or invoices may have: the store version and the last
    change-feed row for open receivables (an index read each)."""
    version = session.scalar(select(StoreVersion.version))
    last = session.scalar(select(func.max(LedgerChange.seq)).where(LedgerChange.order_id.is_(None)))
    return (version, last)


def currencies(session: Session) -> list[str]:
    """Every currency invoiced in."""
    return list(session.scalars(select(Invoice.currency).distinct().order_by(Invoice.currency)))


def replace_forecast(session: Session, made_on: date, rows: list[CashForecastWeek]) -> None:
    """The forecast made on `made_on`, instead of any made earlier that day."""
    session.execute(delete(CashForecastWeek).where(CashForecastWeek.made_on == made_on))
    session.add_all(rows)


def stored_forecasts(
    session: Session, start: date, end: date, currency: str | None
) -> list[CashForecastWeek]:
    query = select(CashForecastWeek).where(
        CashForecastWeek.made_on >= start, CashForecastWeek.made_on <= end
    )
    if currency is not None:
        query = query.where(CashForecastWeek.currency == currency)
    order = (CashForecastWeek.made_on, CashForecastWeek.currency, CashForecastWeek.week)
    return list(session.scalars(query.order_by(*order)))


def latest_forecast_on_or_before(session: Session, day: date) -> date | None:
    found: date | None = session.scalar(
        select(func.max(CashForecastWeek.made_on)).where(CashForecastWeek.made_on <= day)
    )
    return found
