"""The change feed of credit exposure: written by money-moving transactions, read by every
process's terms cache.

A transaction that changes a customer's open receivables or open orders says so here
(`owed_changed`, `order_held`, `order_let_go`); just before it commits, under the late lock, the
customers' open receivables are summed afresh and the changes appended to `ledger_changes`. So
each row holds an absolute figure, rows are in commit order, and a cache may apply a row twice,
or a newer one first, and still end right: applying is idempotent (app/terms/exposure.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Final, NamedTuple

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.models import Invoice, LedgerChange, OpenOrder
from app.core.statements import copy_rows, insert_rows, on_postgresql, one_of
from app.core.store import Store, before_commit, late_lock

# How long a change stays in the feed; a process that has not read it for half as long reloads
# whole instead (app/terms/feed.py).
RETENTION: Final = timedelta(minutes=10)
PRUNE_EVERY_SECONDS: Final = 60.0
CHUNK: Final = 1000
OPEN: Final = func.sum(Invoice.amount - Invoice.paid_amount)


class Change(NamedTuple):
    """One feed row. `customer_id` None: reload every customer's exposure."""

    seq: int
    customer_id: str | None
    currency: str | None
    owed: int | None
    order_id: str | None
    decision_id: str | None
    order_amount: int | None
    expires_at: datetime | None


class Hold(NamedTuple):
    """An open order: checkout granted it net terms, so it counts against the credit limit."""

    customer_id: str
    order_id: str
    decision_id: str
    currency: str
    amount: int
    expires_at: datetime


ORDER_COLUMNS: Final = (
    "at", "customer_id", "currency", "order_id", "decision_id", "order_amount", "expires_at",
)  # fmt: skip
COLUMNS: Final = (
    LedgerChange.seq,
    LedgerChange.customer_id,
    LedgerChange.currency,
    LedgerChange.owed,
    LedgerChange.order_id,
    LedgerChange.decision_id,
    LedgerChange.order_amount,
    LedgerChange.expires_at,
)


def owed_changed(
    session: Session, pairs: Iterable[tuple[str, str]], paid_on: date | None = None
) -> None:
    """These (customer, currency) open receivables change in this transaction; `paid_on`, by a
    payment made that day (the feed keeps the earliest: app/forecasts/kept.py reads it)."""
    pending = _pending(session)
    for pair in pairs:
        pending.owed.add(pair)
        if paid_on is not None:
            earliest = pending.paid.get(pair)
            pending.paid[pair] = paid_on if earliest is None else min(earliest, paid_on)


def order_held(session: Session, hold: Hold) -> None:
    _pending(session).orders.append(
        Change(0, hold.customer_id, hold.currency, None, hold.order_id, hold.decision_id,
               hold.amount, hold.expires_at)
    )  # fmt: skip


def order_let_go(session: Session, customer_id: str, order_id: str, decision_id: str) -> None:
    """The hold of `decision_id` on this order ends (invoiced, released, or never to be)."""
    _pending(session).orders.append(
        Change(0, customer_id, None, None, order_id, decision_id, None, None)
    )


def reload_all(session: Session) -> None:
    """Every process reloads all exposure after this transaction (a history import)."""
    _pending(session).reload = True


def written(session: Session) -> list[Change]:
    """The changes this transaction appended (after it has committed)."""
    found: list[Change] = session.info.get("ledger_written", [])
    return found


def since(session: Session, seq: int, limit: int = 10_000) -> list[Change]:
    query = select(*COLUMNS).where(LedgerChange.seq > seq).order_by(LedgerChange.seq)
    return [Change._make(row) for row in session.execute(query.limit(limit))]


def last_seq(session: Session) -> int:
    return session.execute(select(func.coalesce(func.max(LedgerChange.seq), 0))).scalar_one()


def prune(store: Store, clock: Clock) -> None:
    """Drop feed changes older than RETENTION and orders whose hold has expired (every
    process counts those out by itself). Run by every process now and then; one deleting what
    another already deleted is harmless. Bumps no version and takes no late lock."""
    now = clock.now()
    with store.recording() as session:
        session.execute(delete(LedgerChange).where(LedgerChange.at < now - RETENTION))
        session.execute(delete(OpenOrder).where(OpenOrder.expires_at <= now))


class _Pending:
    __slots__ = ("orders", "owed", "paid", "reload")

    def __init__(self) -> None:
        self.owed: set[tuple[str, str]] = set()
        self.paid: dict[tuple[str, str], date] = {}  # the earliest day paid, where paid
        # Order changes need no sequence to apply (they go by decision id): 0 until read back.
        self.orders: list[Change] = []
        self.reload = False


def _pending(session: Session) -> _Pending:
    pending = session.info.get("ledger_pending")
    if pending is None:
        pending = session.info["ledger_pending"] = _Pending()
        before_commit(session, "ledger", _publish)
    assert isinstance(pending, _Pending)
    return pending


def _publish(session: Session) -> None:
    """Append this transaction's changes under the late lock. Receivables rows come back with
    their sequence (this process applies them at once, newer-wins by sequence); order rows need
    none (they apply by decision id), so on PostgreSQL they go in with COPY: a checkout batch
    writes hundreds."""
    pending: _Pending = session.info.pop("ledger_pending")
    late_lock(session)
    now = datetime.now(UTC)
    figures: list[dict[str, object]] = []
    if pending.reload:
        figures.append(_row(now, None, None, None, None))
    for pair, owed in sorted(_sums(session, pending.owed).items()):
        figures.append(_row(now, *pair, owed, pending.paid.get(pair)))
    written = _receivables(session, figures)
    orders = [
        (now, c.customer_id, c.currency, c.order_id, c.decision_id, c.order_amount, c.expires_at)
        for c in pending.orders
    ]
    if orders and on_postgresql(session):
        copy_rows(session, "ledger_changes", ORDER_COLUMNS, orders)
    elif orders:
        session.execute(
            insert(LedgerChange), [dict(zip(ORDER_COLUMNS, o, strict=True)) for o in orders]
        )
    session.info["ledger_written"] = written + pending.orders


def _receivables(session: Session, figures: list[dict[str, object]]) -> list[Change]:
    """Append receivables rows, each answered with its sequence."""
    written = insert_rows(session, LedgerChange, figures, returning=Change._fields)
    return sorted(Change._make(row) for row in written)


def _row(
    now: datetime,
    customer_id: str | None,
    currency: str | None,
    owed: int | None,
    paid_on: date | None,
) -> dict[str, object]:
    return {
        "at": now,
        "customer_id": customer_id,
        "currency": currency,
        "owed": owed,
        "paid_on": paid_on,
    }


def _sums(session: Session, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """What each (customer, currency) still owes, zero included, as this transaction sees it."""
    owed = dict.fromkeys(pairs, 0)
    customers = sorted({customer_id for customer_id, _ in pairs})
    for start in range(0, len(customers), CHUNK):
        query = (
            select(
                Invoice.customer_id,
                Invoice.currency,
                func.sum(Invoice.amount - Invoice.paid_amount),
            )
            .where(one_of(session, Invoice.customer_id, customers[start : start + CHUNK]))
            .where(Invoice.paid_amount < Invoice.amount)
            .group_by(Invoice.customer_id, Invoice.currency)
        )
        for customer_id, currency, amount in session.execute(query):
            if (customer_id, currency) in owed:
                owed[customer_id, currency] = int(amount)
    return owed
