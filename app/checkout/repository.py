"""Every query about recorded checkout decisions."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final, NamedTuple

from sqlalchemy import ColumnElement, String, bindparam, delete, func, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningDelete

from app.core.models import CheckoutDecision, Invoice, OpenOrder
from app.core.statements import copy_rows, one_of
from app.terms.service import Hold

CHUNK = 1000
OPEN_ORDER_KEY: Final = tuple_(OpenOrder.order_id, OpenOrder.customer_id)


class Binding(NamedTuple):
    """What an invoice of a decided order inherits from its latest decision."""

    decision_id: str
    terms: dict[str, Any]
    segment_key: str
    source: str
    decided_at: datetime


class Recorded(NamedTuple):
    """A decision as the recorder holds it: the document, its time, and its JSON as answered."""

    document: dict[str, Any]
    decided_at: datetime
    body: bytes


COLUMNS: Final = tuple(column.name for column in CheckoutDecision.__table__.columns)


def add(session: Session, decisions: Sequence[Recorded], *, dedupe: bool = False) -> None:
    """Insert decisions: on PostgreSQL with COPY, the answer going in as the bytes checkout got.

    With `dedupe`, decisions already there (a batch retried after a commit whose outcome was
    unclear) are skipped instead."""
    if not decisions:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and not dedupe:
        copy_rows(session, "checkout_decisions", COLUMNS, (_values(d) for d in decisions))
        return
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CheckoutDecision).on_conflict_do_nothing(index_elements=["decision_id"])
    session.execute(statement, [_row(decision) for decision in decisions])


def _row(decision: Recorded) -> dict[str, Any]:
    document = decision.document
    terms = document["terms"]
    return {
        "decision_id": document["decision_id"],
        "customer_id": document["customer_id"],
        "order_id": document["order_id"],
        "amount": document["amount"],
        "currency": document["currency"],
        "outcome": document["outcome"],
        "terms_type": terms["type"],
        "net_days": terms["net_days"],
        "segment_key": document["segment"],
        "decided_at": decision.decided_at,
        "answer": document,
        "released_at": None,
    }


def _values(decision: Recorded) -> list[Any]:
    row = _row(decision)
    row["answer"] = decision.body.decode()
    return [row[name] for name in COLUMNS]


def answer(session: Session, decision_id: str) -> dict[str, Any] | None:
    return session.execute(
        select(CheckoutDecision.answer).where(CheckoutDecision.decision_id == decision_id)
    ).scalar_one_or_none()


def of_customer(
    session: Session, customer_id: str, *, before: str | None, limit: int
) -> list[tuple[str, dict[str, Any]]]:
    """Up to limit+1 (decision id, answer) of a customer's decisions, newest first."""
    query = select(CheckoutDecision.decision_id, CheckoutDecision.answer).where(
        CheckoutDecision.customer_id == customer_id
    )
    if before is not None:
        query = query.where(CheckoutDecision.decision_id < before)
    query = query.order_by(CheckoutDecision.decision_id.desc()).limit(limit + 1)
    return [(decision_id, answer) for decision_id, answer in session.execute(query)]


def bindings(session: Session, orders: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Binding]:
    """The latest decision of each (order_id, customer_id) that has one."""
    wanted = set(orders)
    order_ids = sorted({order_id for order_id, _ in wanted})
    found: dict[tuple[str, str], Binding] = {}
    for start in range(0, len(order_ids), CHUNK):
        query = select(
            CheckoutDecision.order_id,
            CheckoutDecision.customer_id,
            CheckoutDecision.decision_id,
            CheckoutDecision.terms_type,
            CheckoutDecision.net_days,
            CheckoutDecision.segment_key,
            CheckoutDecision.answer["source"].as_string(),
            CheckoutDecision.decided_at,
        ).where(one_of(session, CheckoutDecision.order_id, order_ids[start : start + CHUNK]))
        for order_id, customer_id, decision_id, kind, days, segment, source, at in session.execute(
            query
        ):
            pair = (order_id, customer_id)
            if pair not in wanted:
                continue
            prior = found.get(pair)
            if prior is not None and (prior.decided_at, prior.decision_id) > (at, decision_id):
                continue
            terms = {"type": kind, "net_days": days}
            found[pair] = Binding(decision_id, terms, segment, source, at)
    return found


def hold_orders(session: Session, holds: Sequence[Hold]) -> list[Hold]:
    """Record these orders as holding credit (a newer decision of an order replaces an older
    one), but not orders already invoiced: those are receivables now. The holds recorded."""
    if not holds:
        return []
    invoiced = _invoiced(session, {(h.order_id, h.customer_id) for h in holds})
    fresh = [h for h in holds if (h.order_id, h.customer_id) not in invoiced]
    latest: dict[tuple[str, str], Hold] = {}
    for hold in fresh:
        key = (hold.customer_id, hold.order_id)
        if key not in latest or latest[key].decision_id < hold.decision_id:
            latest[key] = hold
    if not latest:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(OpenOrder)
    statement = statement.on_conflict_do_update(
        index_elements=["customer_id", "order_id"],
        set_={
            "decision_id": statement.excluded.decision_id,
            "currency": statement.excluded.currency,
            "amount": statement.excluded.amount,
            "expires_at": statement.excluded.expires_at,
        },
        where=OpenOrder.decision_id < statement.excluded.decision_id,
    )
    session.execute(statement, [hold._asdict() for hold in latest.values()])
    return list(latest.values())


def let_go(session: Session, orders: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """End the holds of these (order, customer) pairs; (customer, order, decision) of each, in
    (order, customer) order. One statement per CHUNK pairs, the rows locked in that order first
    (two batches invoicing the same orders then wait for each other, never deadlock)."""
    pairs = sorted(set(orders))
    if len(pairs) == 1:  # one order (a single route): its key, no order of locks to keep
        return _let_go_one(session, *pairs[0])
    ended: list[tuple[str, str, str]] = []
    postgres = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        if postgres:  # one statement built once; the pairs as two arrays
            given = {"order_ids": [o for o, _ in chunk], "customer_ids": [c for _, c in chunk]}
            rows = session.execute(_let_go_given(), given)
        else:
            rows = session.execute(_let_go(OPEN_ORDER_KEY.in_(chunk)))
        for order_id, customer_id, decision in sorted(tuple(row) for row in rows):
            ended.append((customer_id, order_id, decision))
    return ended


def _let_go(held: ColumnElement[bool]) -> ReturningDelete[str, str, str]:
    """Delete the holds `held` picks, their rows locked in key order first."""
    locked = (
        select(OpenOrder.order_id, OpenOrder.customer_id)
        .where(held)
        .order_by(OpenOrder.order_id, OpenOrder.customer_id)
        .with_for_update()
    )
    return (
        delete(OpenOrder)
        .where(OPEN_ORDER_KEY.in_(locked))
        .returning(OpenOrder.order_id, OpenOrder.customer_id, OpenOrder.decision_id)
        .execution_options(synchronize_session=False)
    )


@functools.cache
def _let_go_given() -> ReturningDelete[str, str, str]:
    """PostgreSQL: `_let_go` of the pairs given as two arrays (`order_ids`, `customer_ids`),
    unnested side by side. Built once: building and keying it for each group of single routes
    cost more than running it."""
    orders = bindparam("order_ids", type_=ARRAY(String))
    customers = bindparam("customer_ids", type_=ARRAY(String))
    given = func.unnest(orders, customers).table_valued("order_id", "customer_id")
    given = given.render_derived()
    return _let_go(OPEN_ORDER_KEY.in_(select(given.c.order_id, given.c.customer_id)))


def _let_go_one(session: Session, order_id: str, customer_id: str) -> list[tuple[str, str, str]]:
    rows = session.execute(
        delete(OpenOrder)
        .where(OpenOrder.order_id == order_id, OpenOrder.customer_id == customer_id)
        .returning(OpenOrder.decision_id)
        .execution_options(synchronize_session=False)
    )
    return [(customer_id, order_id, decision) for (decision,) in rows]


def decision_row(session: Session, decision_id: str) -> CheckoutDecision | None:
    return session.get(CheckoutDecision, decision_id, with_for_update=True)


def is_invoiced(session: Session, order_id: str, customer_id: str) -> bool:
    return bool(_invoiced(session, {(order_id, customer_id)}))


def _invoiced(session: Session, orders: set[tuple[str, str]]) -> set[tuple[str, str]]:
    order_ids = sorted({order_id for order_id, _ in orders})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(order_ids), CHUNK):
        query = select(Invoice.order_id, Invoice.customer_id).where(
            Invoice.order_id.in_(order_ids[start : start + CHUNK])
        )
        found.update((o, c) for o, c in session.execute(query) if (o, c) in orders and o)
    return found
