"""Recorded checkout decisions: read back by checkout, inherited by the invoices of their orders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from app.checkout import repository
from app.checkout.repository import Binding
from app.core.errors import NotFound
from app.core.paging import decode_cursor, encode_cursor

__all__ = ["Binding", "bindings", "decision", "of_customer"]


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
