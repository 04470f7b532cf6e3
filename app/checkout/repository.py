"""Every query about recorded checkout decisions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import CheckoutDecision

CHUNK = 1000


class Binding(NamedTuple):
    """What an invoice of a decided order inherits from its latest decision."""

    decision_id: str
    terms: dict[str, Any]
    segment_key: str
    source: str
    decided_at: datetime


def add(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert decisions; one already there (a flush retried after an unclear commit) is kept."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = (
        postgresql.insert(CheckoutDecision)
        if dialect == "postgresql"
        else sqlite.insert(CheckoutDecision)
        if dialect == "sqlite"
        else insert(CheckoutDecision)
    )
    if dialect in ("postgresql", "sqlite"):
        statement = statement.on_conflict_do_nothing(index_elements=["decision_id"])  # type: ignore[attr-defined]
    session.execute(statement, list(rows))


def answer(session: Session, decision_id: str) -> dict[str, Any] | None:
    return session.execute(
        select(CheckoutDecision.answer).where(CheckoutDecision.decision_id == decision_id)
    ).scalar_one_or_none()


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
