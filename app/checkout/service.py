"""Recorded checkout decisions: read back by checkout, inherited by the invoices of their orders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.checkout import repository
from app.checkout.repository import Binding
from app.core.errors import Conflict, NotFound
from app.core.paging import decode_cursor, encode_cursor
from app.terms import service as terms

__all__ = ["Binding", "bindings", "decision", "invoiced", "of_customer", "release"]


def bindings(session: Session, orders: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Binding]:
    """For each (order, customer) decided, what its invoice inherits from the latest decision."""
    return repository.bindings(session, orders)


def decision(session: Session, decision_id: str, held: dict[str, Any] | None) -> dict[str, Any]:
    """A decision as checkout was answered: `held` by this process if not yet written, else
    from the store; 404 if neither has it."""
    document = held or repository.answer(session, decision_id)
    if document is None:
        raise NotFound(f"No decision '{decision_id}'.")
    return document


def of_customer(
    session: Session, customer_id: str, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """A customer's recorded decisions, newest first (those still held in memory show once
    written, within a fraction of a second)."""
    rows = repository.of_customer(session, customer_id, before=decode_cursor(cursor), limit=limit)
    next_cursor = encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return [answer for _, answer in rows[:limit]], next_cursor


def invoiced(session: Session, orders: Iterable[tuple[str, str]]) -> None:
    """These (order, customer) pairs were invoiced in this transaction: their orders stop
    holding credit (the invoices count as receivables instead)."""
    for customer_id, order_id, decision_id in repository.let_go(session, orders):
        terms.order_let_go(session, customer_id, order_id, decision_id)


def release(session: Session, decision_id: str, *, now: datetime, actor: str) -> dict[str, Any]:
    """The order of a net-terms decision will not be invoiced (cancelled, or paid on order):
    it stops counting against the credit limit. Releasing again answers the same."""
    row = repository.decision_row(session, decision_id)
    if row is None:
        raise NotFound(f"No decision '{decision_id}'.")
    if row.outcome != "net_terms":
        raise Conflict(f"Decision '{decision_id}' was pay on order: it holds no credit.")
    if row.released_at is None:
        if repository.is_invoiced(session, row.order_id, row.customer_id):
            raise Conflict(
                f"Order '{row.order_id}' of decision '{decision_id}' is invoiced: it is a "
                "receivable now, settled by payments."
            )
        row.released_at = now
        # The order is let go whichever of its decisions holds it (it may have been decided
        # again since): every process drops holds up to the newest of them.
        ended = repository.let_go(session, [(row.order_id, row.customer_id)])
        newest = max([decision_id, *(held_by for _, _, held_by in ended)])
        terms.order_let_go(session, row.customer_id, row.order_id, newest)
        released = _released(row.decision_id, row.customer_id, row.order_id, now)
        audit.record(
            session,
            audit.Entry(
                occurred_at=now,
                actor=actor,
                action="checkout.order_released",
                entity_type="checkout_decision",
                entity_id=decision_id,
                after={**released, "amount": row.amount, "currency": row.currency},
            ),
        )
    return {
        **_released(row.decision_id, row.customer_id, row.order_id, row.released_at),
        "amount": row.amount,
        "currency": row.currency,
    }


def _released(decision_id: str, customer_id: str, order_id: str, at: datetime) -> dict[str, Any]:
    return {
        "decision_id": decision_id,
        "customer_id": customer_id,
        "order_id": order_id,
        "released_at": at.isoformat().replace("+00:00", "Z"),
    }
