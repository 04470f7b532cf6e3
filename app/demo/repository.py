"""Every query the demo makes: who already has history, and bulk writes of rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.core.models import Base, Invoice
from app.core.statements import copy_rows, on_postgresql


def customers_with_history(session: Session, prefix: str) -> set[str]:
    """Customers whose id starts with `prefix` and who have at least one invoice."""
    query = select(Invoice.customer_id).where(Invoice.customer_id.like(f"{prefix}%")).distinct()
    return set(session.scalars(query))


def add_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    json_column: str | None = None,
) -> None:
    """Write rows in the session's transaction: COPY on PostgreSQL, executemany elsewhere.
    `json_column` holds documents (dicts), which COPY takes as JSON text."""
    if not rows:
        return
    if on_postgresql(session):
        if json_column is not None:
            at = list(columns).index(json_column)
            rows = [(*row[:at], json.dumps(row[at]), *row[at + 1 :]) for row in rows]
        copy_rows(session, table, columns, rows)
        return
    session.execute(
        insert(Base.metadata.tables[table]), [dict(zip(columns, row, strict=True)) for row in rows]
    )


def analyze(session: Session, *tables: str) -> None:
    """Fresh planner statistics after a bulk write, so the next aggregate picks good plans."""
    if on_postgresql(session):
        session.execute(text(f"ANALYZE {', '.join(tables)}"))
