"""Every KPI query: aggregate SQL over invoices and payments, never invoices loaded one by one.

A KPI asks what was owed at several period ends e_0 < e_1 < ... at once. Each query places a
date among the ends with a CASE tree (log2 of the ends deep) and sums per place:

    before(d) = how many ends fall before d   (issued_on <= e_k  <=>  before(issued_on) <= k,
                                               paid_on    > e_k  <=>  before(paid_on)   >  k)
    upto(d)   = how many ends fall on or before d  (due_on >= e_k  <=>  upto(due_on) > k)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, case, exists, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.models import Dispute, Invoice, Payment, Segment

SegmentKey = str | None  # None: invoices imported from history, which carry no segment


def _place(column: Any, ends: Sequence[date], *, inclusive: bool) -> ColumnElement[int]:
    """before(column) or, when `inclusive`, upto(column), as a balanced CASE tree."""

    def tree(lo: int, hi: int) -> ColumnElement[int]:
        if lo == hi:
            return literal(lo)
        mid = (lo + hi) // 2
        below = column < ends[mid] if inclusive else column <= ends[mid]
        return case((below, tree(lo, mid)), else_=tree(mid + 1, hi))

    return tree(0, len(ends))


def _scoped(
    query: Select[Any], currency: str, segment: SegmentKey, by_segment: bool
) -> tuple[Select[Any], list[Any]]:
    query = query.where(Invoice.currency == currency)
    if segment is not None:
        query = query.where(Invoice.segment_key == segment)
    return query, [Invoice.segment_key.label("segment")] if by_segment else []


def _grouped(session: Session, inner: Select[Any]) -> list[tuple[Any, ...]]:
    """Sum the last column of `inner` per its other columns (a subquery keeps PostgreSQL's
    GROUP BY on the same CASE expressions the SELECT shows, whatever their parameters)."""
    rows = inner.subquery()
    keys = list(rows.c)[:-1]
    total = func.sum(list(rows.c)[-1])
    query = select(*keys, total).group_by(*keys)
    return [(*row[:-1], int(row[-1] or 0)) for row in session.execute(query)]


def credit_sales(
    session: Session,
    currency: str,
    segment: SegmentKey,
    by_segment: bool,
    first_day: date,
    ends: Sequence[date],
) -> list[tuple[Any, ...]]:
    """([segment,] period, amount invoiced): issued in [first_day, ends[-1]], placed by end."""
    query, keys = _scoped(select(), currency, segment, by_segment)
    inner = query.add_columns(
        *keys, _place(Invoice.issued_on, ends, inclusive=False).label("period"), Invoice.amount
    ).where(Invoice.issued_on >= first_day, Invoice.issued_on <= ends[-1])
    return _grouped(session, inner)


def open_now(
    session: Session, currency: str, segment: SegmentKey, by_segment: bool, ends: Sequence[date]
) -> list[tuple[Any, ...]]:
    """([segment,] before(issued_on), upto(due_on), still owed today) over invoices issued on
    or before the last end that are open today: the partial index on open invoices."""
    query, keys = _scoped(select(), currency, segment, by_segment)
    inner = query.add_columns(
        *keys,
        _place(Invoice.issued_on, ends, inclusive=False).label("issued"),
        _place(Invoice.due_on, ends, inclusive=True).label("due"),
        (Invoice.amount - Invoice.paid_amount).label("owed"),
    ).where(Invoice.paid_amount < Invoice.amount, Invoice.issued_on <= ends[-1])
    return _grouped(session, inner)


def paid_after(
    session: Session, currency: str, segment: SegmentKey, by_segment: bool, ends: Sequence[date]
) -> list[tuple[Any, ...]]:
    """([segment,] before(issued_on), before(paid_on), upto(due_on), paid) over payments made
    after the first end on invoices issued on or before the last end: the index on paid_on."""
    query, keys = _scoped(
        select().select_from(Payment).join(Invoice, Invoice.invoice_id == Payment.invoice_id),
        currency,
        segment,
        by_segment,
    )
    inner = query.add_columns(
        *keys,
        _place(Invoice.issued_on, ends, inclusive=False).label("issued"),
        _place(Payment.paid_on, ends, inclusive=False).label("paid"),
        _place(Invoice.due_on, ends, inclusive=True).label("due"),
        Payment.amount,
    ).where(Payment.paid_on > ends[0], Invoice.issued_on <= ends[-1])
    return _grouped(session, inner)


class CreditNote(NamedTuple):
    segment: SegmentKey
    issued_on: date
    due_on: date
    credited_on: date
    amount: int


def credit_notes_since(
    session: Session, currency: str, segment: SegmentKey, since: date, ends: Sequence[date]
) -> list[CreditNote]:
    """Credit notes (disputes resolved with a credit) issued on or after `since` on invoices
    issued on or before the last end. They are few: read as rows and placed by the caller. A
    credit note's day is its resolution's, in UTC."""
    query, _ = _scoped(
        select().select_from(Dispute).join(Invoice, Invoice.invoice_id == Dispute.invoice_id),
        currency,
        segment,
        False,
    )
    query = query.add_columns(
        Invoice.segment_key,
        Invoice.issued_on,
        Invoice.due_on,
        Dispute.resolved_at,
        Dispute.credit_amount,
    )
    query = query.where(
        Dispute.credit_amount.is_not(None),
        Dispute.resolved_at >= datetime.combine(since, time.min, UTC),
        Invoice.issued_on <= ends[-1],
    )
    return [
        CreditNote(key, issued_on, due_on, resolved_at.astimezone(UTC).date(), int(amount))
        for key, issued_on, due_on, resolved_at, amount in session.execute(query)
    ]


def earliest_issued_on(session: Session, currency: str, segment: SegmentKey) -> date | None:
    """The first day anything was invoiced in `currency` (and `segment`)."""
    query, _ = _scoped(select(func.min(Invoice.issued_on)), currency, segment, False)
    found: date | None = session.scalar(query)
    return found


def latest_issued_on(
    session: Session, currency: str, segment: SegmentKey, on_or_before: date
) -> date | None:
    """The last day on or before `on_or_before` anything was invoiced in `currency`."""
    query, _ = _scoped(select(func.max(Invoice.issued_on)), currency, segment, False)
    found: date | None = session.scalar(query.where(Invoice.issued_on <= on_or_before))
    return found


def segment_known(session: Session, key: str) -> bool:
    """A segment that exists, or one stamped on invoices (segments may be deleted later)."""
    if session.get(Segment, key) is not None:
        return True
    return bool(session.scalar(select(exists().where(Invoice.segment_key == key))))


def currencies(session: Session) -> list[str]:
    """Every currency invoiced in."""
    column: InstrumentedAttribute[str] = Invoice.currency
    return list(session.scalars(select(column).distinct().order_by(column)))
