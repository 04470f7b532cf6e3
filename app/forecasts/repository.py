"""The forecast's queries but the payment history (history.py): what was owed at as_of, which is
what is owed today plus what was paid or credited after it (the KPIs' reckoning), the promises
and disputes open then, what was paid after, and the forecasts kept each night."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Select,
    delete,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Session

from app.core.models import (
    CashForecastWeek,
    Dispute,
    Invoice,
    LedgerChange,
    Payment,
    Promise,
    Segment,
)


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

    # Read through the connection: some 70,000 rows at 1,000,000 invoices, no ORM rows to build.
    connection = session.connection()
    take(
        connection.execute(
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
    take(connection.execute(paid_later))
    credited_later = narrowed(
        select(*columns, func.sum(Dispute.credit_amount))
        .select_from(Dispute)
        .join(Invoice, Invoice.invoice_id == Dispute.invoice_id)
        .where(Dispute.credit_amount.is_not(None), Dispute.resolved_at >= end_of(as_of))
        .group_by(*columns)
    )
    take(connection.execute(credited_later))
    found = sorted(owed.values(), key=lambda invoice: invoice.invoice_id)
    return found[:limit] if limit is not None else found


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


def last_change(session: Session) -> int:
    """The change feed's last row for open receivables (0: none yet)."""
    last = session.scalar(select(func.max(LedgerChange.seq)).where(LedgerChange.order_id.is_(None)))
    return int(last or 0)


class Changes(NamedTuple):
    """The feed after a row: its last row, the customers named (None: more than asked for, or
    a row telling everyone to reload, as a history import writes), and the earliest day paid
    among the payments they record."""

    seq: int
    customers: set[str] | None
    paid_on: date | None


def changes_since(session: Session, seq: int, most: int) -> Changes:
    """Customers whose open receivables changed after feed row `seq` (at most `most`)."""
    query = (
        select(LedgerChange.customer_id, func.max(LedgerChange.seq), func.min(LedgerChange.paid_on))
        .where(LedgerChange.seq > seq, LedgerChange.order_id.is_(None))
        .group_by(LedgerChange.customer_id)
        .limit(most + 1)
    )
    rows = session.execute(query).all()
    if not rows:
        return Changes(seq, set(), None)
    last = max(row[1] for row in rows)
    earliest = min((row[2] for row in rows if row[2] is not None), default=None)
    customers = {row[0] for row in rows if row[0] is not None}
    if len(rows) > most or len(customers) < len(rows):
        return Changes(last, None, earliest)
    return Changes(last, customers, earliest)


class Opened(NamedTuple):
    dispute_id: str
    invoice_id: str
    customer_id: str
    opened_at: datetime


def last_dispute_opened(session: Session, as_of: date) -> datetime | None:
    found: datetime | None = session.scalar(
        select(func.max(Dispute.opened_at)).where(Dispute.opened_at < end_of(as_of))
    )
    return found


def disputes_opened(session: Session, as_of: date, since: datetime | None) -> list[Opened]:
    """Disputes opened by the end of as_of, at `since` or later."""
    query = select(Dispute.id, Dispute.invoice_id, Dispute.customer_id, Dispute.opened_at).where(
        Dispute.opened_at < end_of(as_of)
    )
    if since is not None:
        query = query.where(Dispute.opened_at >= since)
    return [Opened._make(row) for row in session.execute(query)]


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
