"""Every query the demo makes: who already has history, and bulk writes of rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.core.models import Base, Invoice
from app.core.store import copy_rows, on_postgresql


def customers_with_history(session: Session, prefix: str) -> set[str]:
    """Customers whose id starts with `prefix` and who have at least one invoice."""
    query = select(Invoice.customer_id).where(Invoice.customer_id.like(f"{prefix}%")).distinct()
    return set(session.scalars(query))


def add_rows(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Write rows in the session's transaction: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if on_postgresql(session):
        copy_rows(session, table, columns, rows)
        return
    session.execute(
        insert(Base.metadata.tables[table]), [dict(zip(columns, row, strict=True)) for row in rows]
    )


def analyze(session: Session, *tables: str) -> None:
    """Fresh planner statistics after a bulk write, so the next aggregate picks good plans."""
    if on_postgresql(session):
        session.execute(text(f"ANALYZE {', '.join(tables)}"))
