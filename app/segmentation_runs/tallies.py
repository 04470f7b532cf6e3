"""The numbers behind a classification, summed per customer by the database in one query.

Each fully settled invoice gets the day of its latest payment; the per-customer sums are
streamed back, never the invoices themselves. A credit note is not cash (CONTRACT 11): the
part of an invoice it settles is not the customer's to pay, so lateness is read off the cash
payments; an invoice settled by credit notes alone counts as settled on its latest credit
note's day (not unpaid for ever), but never as paid: it adds nothing to the days to pay.

Broken promises count over the window the run reads payment behaviour in: promises whose last
day to be kept (`keep_by`) fell in [window_start, as_of), broken by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Final, NamedTuple

from sqlalchemy import Date, Integer, and_, case, func, literal, or_, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.core.engine import follow_statement_timeout
from app.core.models import Dispute, Invoice, Payment, Promise
from app.core.statements import on_postgresql

YIELD_PER: Final = 20_000
# A run reads every invoice at once: longer than the per-request statement timeout allows.
RUN_STATEMENT_TIMEOUT_SECONDS: Final = 15 * 60


class Tally(NamedTuple):
    """One customer's invoices as of a date, summed (what the classification rules read)."""

    customer_id: str
    counted: int  # invoices that count: issued in the window, paid by the date or due before it
    late: int  # of those, paid (or still open) after their due date
    days_late: int  # their days late, added up
    paid: int  # counting invoices paid by the date
    days_to_pay: int  # their days from issue to payment, added up
    revenue: int  # amounts in the policy currency issued in the window
    margin_invoices: int  # of those, how many carry a gross margin
    margin: int  # their gross margins, added up
    margin_amount: int  # their amounts, added up
    broken_promises: int = 0  # promises to pay broken in the window


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first: dates subtract on PostgreSQL; SQLite
    stores them as text, so it goes through julianday()."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class utc_day(FunctionElement[date]):
    """The UTC calendar day of a timestamp: SQLite stores UTC text, whose date() it is."""

    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day)
def _utc_day(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


def allow_long_statements(session: Session) -> None:
    """Lift the per-request statement timeout for the rest of this transaction (PostgreSQL)."""
    if on_postgresql(session):
        follow_statement_timeout(session.connection(), RUN_STATEMENT_TIMEOUT_SECONDS)
        session.execute(text(f"SET LOCAL statement_timeout = '{RUN_STATEMENT_TIMEOUT_SECONDS}s'"))


def tallies(session: Session, as_of: date, window_start: date, currency: str) -> Iterator[Tally]:
    """One Tally per customer with any invoice in the store, streamed."""
    day = literal(as_of, Date)
    cash = (
        select(Payment.invoice_id, func.max(Payment.paid_on).label("paid_on"))
        .group_by(Payment.invoice_id)
        .subquery("cash")
    )
    credit = (
        select(Dispute.invoice_id, func.max(utc_day(Dispute.resolved_at)).label("credited_on"))
        .where(Dispute.credit_amount.is_not(None))
        .group_by(Dispute.invoice_id)
        .subquery("credit")
    )
    full = Invoice.paid_amount >= Invoice.amount
    invoice = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            Invoice.amount,
            Invoice.gross_margin,
            Invoice.issued_on,
            Invoice.due_on,
            case((full, func.coalesce(cash.c.paid_on, credit.c.credited_on))).label("settled_on"),
            case((full, cash.c.paid_on)).label("paid_on"),
        )
        .outerjoin(cash, cash.c.invoice_id == Invoice.invoice_id)
        .outerjoin(credit, credit.c.invoice_id == Invoice.invoice_id)
        .subquery("invoice")
    )
    broken = (
        select(Promise.customer_id, func.count().label("broken"))
        .where(
            Promise.status == "broken",
            Promise.keep_by >= literal(window_start, Date),
            Promise.keep_by < day,
        )
        .group_by(Promise.customer_id)
        .subquery("broken")
    )
    in_window = and_(invoice.c.issued_on >= literal(window_start, Date), invoice.c.issued_on <= day)
    settled_by = invoice.c.settled_on <= day  # NULL (unsettled) is not true
    counts = and_(in_window, or_(settled_by, invoice.c.due_on < day))
    settled_on = case((settled_by, invoice.c.settled_on), else_=day)
    late = and_(counts, settled_on > invoice.c.due_on)
    paid = and_(in_window, settled_by, invoice.c.paid_on.is_not(None))
    earns = and_(in_window, invoice.c.currency == currency)
    margined = and_(earns, invoice.c.gross_margin.is_not(None))
    query = select(
        invoice.c.customer_id,
        func.count(case((counts, 1))),
        func.count(case((late, 1))),
        _total(case((late, days_between(settled_on, invoice.c.due_on)))),
        func.count(case((paid, 1))),
        _total(case((paid, days_between(invoice.c.paid_on, invoice.c.issued_on)))),
        _total(case((earns, invoice.c.amount))),
        func.count(case((margined, 1))),
        _total(case((margined, invoice.c.gross_margin))),
        _total(case((margined, invoice.c.amount))),
        func.coalesce(func.max(broken.c.broken), 0),
    )
    query = query.outerjoin(broken, broken.c.customer_id == invoice.c.customer_id).group_by(
        invoice.c.customer_id
    )
    rows = session.connection().execute(query.execution_options(yield_per=YIELD_PER))
    for customer_id, *sums in rows:
        yield Tally(customer_id, *(int(value) for value in sums))


def _total(values: ColumnElement[Any]) -> ColumnElement[int]:
    """SUM that is 0, not NULL, over nothing."""
    return func.coalesce(func.sum(values), 0)
