"""Every query about recorded checkout decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final, NamedTuple

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.models import CheckoutDecision
from app.core.store import copy_rows

CHUNK = 1000


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
        ).where(CheckoutDecision.order_id.in_(order_ids[start : start + CHUNK]))
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
