"""The numbers behind a classification, summed per customer by the database in one query.

Each invoice gets the day it was paid on (the latest payment of a fully paid invoice); the
per-customer sums are streamed back, never the invoices themselves.
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
from app.core.models import Invoice, Payment
from app.core.store import on_postgresql

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


def allow_long_statements(session: Session) -> None:
    """Lift the per-request statement timeout for the rest of this transaction (PostgreSQL)."""
    if on_postgresql(session):
        follow_statement_timeout(session.connection(), RUN_STATEMENT_TIMEOUT_SECONDS)
        session.execute(text(f"SET LOCAL statement_timeout = '{RUN_STATEMENT_TIMEOUT_SECONDS}s'"))


def tallies(session: Session, as_of: date, window_start: date, currency: str) -> Iterator[Tally]:
    """One Tally per customer with any invoice in the store, streamed."""
    day = literal(as_of, Date)
    settled = (
        select(Payment.invoice_id, func.max(Payment.paid_on).label("paid_on"))
        .group_by(Payment.invoice_id)
        .subquery("settled")
    )
    invoice = (
        select(
            Invoice.customer_id,
            Invoice.currency,
            Invoice.amount,
            Invoice.gross_margin,
            Invoice.issued_on,
            Invoice.due_on,
            case((Invoice.paid_amount >= Invoice.amount, settled.c.paid_on)).label("paid_on"),
        )
        .outerjoin(settled, settled.c.invoice_id == Invoice.invoice_id)
        .subquery("invoice")
    )
    in_window = and_(invoice.c.issued_on >= literal(window_start, Date), invoice.c.issued_on <= day)
    paid_by = invoice.c.paid_on <= day  # NULL (unpaid) is not true
    counts = and_(in_window, or_(paid_by, invoice.c.due_on < day))
    settled_on = case((paid_by, invoice.c.paid_on), else_=day)
    late = and_(counts, settled_on > invoice.c.due_on)
    paid = and_(in_window, paid_by)
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
    ).group_by(invoice.c.customer_id)
    rows = session.connection().execute(query.execution_options(yield_per=YIELD_PER))
    for customer_id, *sums in rows:
        yield Tally(customer_id, *(int(value) for value in sums))


def _total(values: ColumnElement[Any]) -> ColumnElement[int]:
    """SUM that is 0, not NULL, over nothing."""
    return func.coalesce(func.sum(values), 0)
